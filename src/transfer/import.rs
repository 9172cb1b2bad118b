//! `casedesk import`: school application rows from a CSV file (UTF-8, UTF-8 with BOM or CP949)
//! become cases at intake, all or nothing, in one journaled batch. Reads files and uses the
//! store; knows nothing of the screens or the command line.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{ImportProblem, MAX_IMPORT_BYTES, ProblemKind, TransferError};
use crate::domain::application::{read_header, read_row, student_key};
use crate::domain::{CaseNumber, Command, Ctx, NewCase, Outcome, State, TeamCode};

/// Which encoding to read the file in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Detect: a UTF-8 BOM, valid UTF-8, else CP949.
    #[default]
    Auto,
    /// UTF-8 (a BOM is skipped).
    Utf8,
    /// CP949 / EUC-KR, as Korean Excel writes "CSV".
    Cp949,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The encoding.
    pub encoding: Encoding,
    /// Report only; write nothing.
    pub dry_run: bool,
    /// Import likely duplicates too.
    pub allow_duplicates: bool,
    /// Lead team for the new cases (code or name); the support centre (`CENTER`) when `None`.
    pub lead: Option<String>,
}

/// A row that looks like a student casedesk has already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The row (header = 1).
    pub row: usize,
    /// The student's full name (mask it before showing it).
    pub student: String,
    /// The open case it matches, or the earlier row of the same file.
    pub matches: Match,
}

/// What a likely duplicate matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// An open case in the store.
    Case(CaseNumber),
    /// An earlier row of the same file.
    Row(usize),
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The encoding the file was read in.
    pub encoding: &'static str,
    /// Application rows read (blank rows not counted).
    pub rows: usize,
    /// Cases registered, in row order (empty in a dry run).
    pub imported: Vec<CaseNumber>,
    /// Rows that would be (or were) imported.
    pub accepted: usize,
    /// Likely duplicates (skipped unless allowed).
    pub duplicates: Vec<Duplicate>,
    /// True when nothing was written on purpose.
    pub dry_run: bool,
}

/// Reads an import file, refusing one over [`MAX_IMPORT_BYTES`] before reading it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, TransferError> {
    // A FIFO or a device is refused at once (it would hang or never end).
    match crate::fsio::read_bounded(path, MAX_IMPORT_BYTES) {
        Ok(bytes) => Ok(bytes),
        Err(crate::fsio::ReadError::TooLarge { size, .. }) => Err(TransferError::TooBig { size }),
        Err(e) => Err(TransferError::unreadable(path, e)),
    }
}

/// The file's text and the encoding it was read in.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<(String, &'static str), TransferError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TransferError::Utf16);
    }
    if bytes.contains(&0) {
        return Err(TransferError::Binary);
    }
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let utf8 = || -> Result<String, TransferError> {
        std::str::from_utf8(body)
            .map(str::to_string)
            .map_err(|e| TransferError::Encoding {
                tried: "UTF-8",
                at: Some(e.valid_up_to() + if bom { 3 } else { 0 }),
            })
    };
    let cp949 = || -> Option<String> {
        encoding_rs::EUC_KR
            .decode_without_bom_handling_and_without_replacement(body)
            .map(|t| t.into_owned())
    };
    match encoding {
        Encoding::Utf8 => Ok((utf8()?, if bom { "UTF-8 (BOM)" } else { "UTF-8" })),
        Encoding::Cp949 if bom => Err(TransferError::Encoding {
            tried: "CP949",
            at: Some(0),
        }),
        Encoding::Cp949 => cp949()
            .map(|t| (t, "CP949"))
            .ok_or(TransferError::Encoding {
                tried: "CP949",
                at: None,
            }),
        Encoding::Auto => match utf8() {
            Ok(text) => Ok((text, if bom { "UTF-8 (BOM)" } else { "UTF-8" })),
            Err(e) if bom => Err(e),
            Err(_) => cp949()
                .map(|t| (t, "CP949"))
                .ok_or(TransferError::Encoding {
                    tried: "UTF-8 or CP949",
                    at: None,
                }),
        },
    }
}

/// The applications a file holds, checked against the records: the cases to register (with
/// their rows), the likely duplicates, or every problem.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Rows read.
    pub rows: usize,
    /// `(row, case)` for every row that is to be registered.
    pub cases: Vec<(usize, NewCase)>,
    /// Likely duplicates (left out of `cases` unless allowed).
    pub duplicates: Vec<Duplicate>,
}

/// Reads the CSV text and checks every row; any problem refuses the whole file.
pub fn plan(
    state: &State,
    text: &str,
    lead: &TeamCode,
    today: NaiveDate,
    allow_duplicates: bool,
) -> Result<Plan, TransferError> {
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(TransferError::Refused {
                problems: vec![ImportProblem {
                    row: 1,
                    kind: ProblemKind::Csv(e.to_string()),
                }],
            });
        }
        None => return Err(TransferError::Empty),
    };
    let cells: Vec<&str> = header.iter().collect();
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Err(TransferError::Empty);
    }
    let columns = read_header(&cells).map_err(|problems| TransferError::Refused {
        problems: problems
            .into_iter()
            .map(|p| ImportProblem {
                row: 1,
                kind: ProblemKind::Header(p),
            })
            .collect(),
    })?;

    let existing: HashMap<_, CaseNumber> = state
        .cases
        .values()
        .filter(|c| c.is_open())
        .map(|c| {
            (
                student_key(&c.student.name, c.student.birth_on, &c.school),
                c.number,
            )
        })
        .collect();
    let mut seen: HashMap<_, usize> = HashMap::new();
    let mut problems = Vec::new();
    let mut plan = Plan::default();
    for (i, record) in records.enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(ImportProblem {
                    row,
                    kind: ProblemKind::Csv(e.to_string()),
                });
                continue;
            }
        };
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        plan.rows += 1;
        // Extra cells are tolerated only when empty (spreadsheets pad rows with commas).
        let extra_filled = cells
            .iter()
            .skip(columns.len())
            .any(|c| !c.trim().is_empty());
        if cells.len() < columns.len() || extra_filled {
            problems.push(ImportProblem {
                row,
                kind: ProblemKind::Cells {
                    found: cells.len(),
                    expected: columns.len(),
                },
            });
            continue;
        }
        match read_row(&columns, &cells, lead, today) {
            Ok(case) => {
                let key = student_key(&case.student.name, case.student.birth_on, &case.school);
                let matches = existing
                    .get(&key)
                    .map(|n| Match::Case(*n))
                    .or_else(|| seen.get(&key).map(|r| Match::Row(*r)));
                seen.entry(key).or_insert(row);
                if let Some(matches) = matches {
                    plan.duplicates.push(Duplicate {
                        row,
                        student: case.student.name.clone(),
                        matches,
                    });
                    if !allow_duplicates {
                        continue;
                    }
                }
                plan.cases.push((row, case));
            }
            Err(cell_problems) => {
                problems.extend(cell_problems.into_iter().map(|p| ImportProblem {
                    row,
                    kind: ProblemKind::Cell(p.column, p.problem),
                }))
            }
        }
    }
    if !problems.is_empty() {
        return Err(TransferError::Refused { problems });
    }
    Ok(plan)
}

/// Imports the file's bytes into `store`: every row is checked first, then all cases are
/// registered in one journaled batch, or none. A dry run writes nothing.
pub fn import_bytes(
    store: &mut dyn crate::backend::Backend,
    bytes: &[u8],
    options: &ImportOptions,
    ctx: &Ctx,
) -> Result<ImportReport, TransferError> {
    let (text, encoding) = decode(bytes, options.encoding)?;
    let state = store.snapshot()?;
    let lead = state.resolve_team(options.lead.as_deref().unwrap_or("CENTER"))?;
    let plan = plan(state, &text, &lead, ctx.today(), options.allow_duplicates)?;
    let mut report = ImportReport {
        encoding,
        rows: plan.rows,
        imported: Vec::new(),
        accepted: plan.cases.len(),
        duplicates: plan.duplicates,
        dry_run: options.dry_run,
    };
    if options.dry_run || plan.cases.is_empty() {
        // The rules are still run over every case, on a copy, so a dry run says what a real
        // run would.
        let mut copy = state.clone();
        for (_, case) in &plan.cases {
            let (_, changes) = copy.execute(&Command::CreateCase { case: case.clone() }, ctx)?;
            copy.commit(changes);
        }
        return Ok(report);
    }
    let commands = plan
        .cases
        .into_iter()
        .map(|(_, case)| Command::CreateCase { case })
        .collect();
    let receipts = store.apply_all(commands, ctx.at)?;
    report.imported = receipts
        .into_iter()
        .filter_map(|r| match r.outcome {
            Outcome::Case { number } => Some(number),
            _ => None,
        })
        .collect();
    Ok(report)
}
