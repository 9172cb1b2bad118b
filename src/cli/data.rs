//! The data commands: `import`, `backup`, `restore`, `export` and `report` — arguments in,
//! the `transfer` and `domain::stats` work done, results printed.

use std::path::Path;

use super::args::{EncodingArg, ExportArgs, ExportFormat, ExportWhat, ImportArgs, ReportFormat};
use super::check::check_store;
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use crate::backend::Backend;
use crate::domain::Command;
use crate::domain::masking::mask_name;
use crate::domain::stats::{month_stats, parse_month};
use crate::i18n::{Lang, Localize};
use crate::transfer::import::{Encoding, ImportOptions, Match, import_bytes, read_file};
use crate::transfer::{
    MAX_LISTED_PROBLEMS, PrivateFile, TransferError, backup as bk, export as ex,
};

pub(super) fn import(
    env: &Env,
    b: &mut dyn Backend,
    args: ImportArgs,
    out: Out,
) -> Result<(), CliError> {
    let ko = env.lang == Lang::Ko;
    if args.unmasked {
        b.access().may_unmask()?;
    }
    // The file is read and sized up before the store is touched.
    let bytes = read_file(&args.file)?;
    let options = ImportOptions {
        encoding: match args.encoding {
            EncodingArg::Auto => Encoding::Auto,
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Cp949 => Encoding::Cp949,
        },
        dry_run: args.dry_run,
        allow_duplicates: args.allow_duplicates,
        lead: args.lead,
    };
    let report = match import_bytes(b, &bytes, &options, &env.ctx()) {
        Ok(report) => report,
        Err(TransferError::Refused { problems }) => {
            let mut text = String::new();
            for p in problems.iter().take(MAX_LISTED_PROBLEMS) {
                text.push_str(&crate::domain::input::shown(&p.localize(env.lang)));
                text.push('\n');
            }
            if problems.len() > MAX_LISTED_PROBLEMS {
                let more = problems.len() - MAX_LISTED_PROBLEMS;
                text.push_str(&if ko {
                    format!("… 그 밖에 {more}건\n")
                } else {
                    format!("… and {more} more\n")
                });
            }
            put(out, &text)?;
            return Err(TransferError::Refused { problems }.into());
        }
        Err(e) => return Err(e.into()),
    };
    let mut text = if ko {
        format!("인코딩 {} · 신청 {}행\n", report.encoding, report.rows)
    } else {
        format!(
            "encoding {} · {} application rows\n",
            report.encoding, report.rows
        )
    };
    for d in &report.duplicates {
        let name = if args.unmasked {
            d.student.clone()
        } else {
            mask_name(&d.student)
        };
        let with = match d.matches {
            Match::Case(n) => {
                env.lang.pick("진행 중인 사례 ", "open case ").to_string() + &n.to_string()
            }
            Match::Row(r) => {
                if ko {
                    format!("{r}행")
                } else {
                    format!("row {r}")
                }
            }
        };
        let fate = match (options.allow_duplicates, ko) {
            (true, true) => "함께 가져옵니다",
            (true, false) => "imported anyway (--allow-duplicates)",
            (false, true) => "가져오지 않습니다 (--allow-duplicates로 가져올 수 있음)",
            (false, false) => "not imported (--allow-duplicates imports it)",
        };
        text.push_str(&if ko {
            format!("{}행: {name} — {with}와(과) 같은 학생으로 보입니다 (이름·생년월일·학교): {fate}\n", d.row)
        } else {
            format!("row {}: {name} — likely the same student as {with} (name, birth date, school): {fate}\n", d.row)
        });
    }
    let lead = options.lead.as_deref().unwrap_or("CENTER");
    if report.dry_run {
        text.push_str(&if ko {
            format!("점검만 했습니다: {}건을 가져올 수 있습니다 (주관 {lead}, 접수 단계). 아무것도 쓰지 않았습니다\n", report.accepted)
        } else {
            format!("dry run: {} cases would be imported (lead {lead}, at intake); nothing was written\n", report.accepted)
        });
    } else {
        let range = match (report.imported.first(), report.imported.last()) {
            (Some(a), Some(b)) if a == b => format!(": {a}"),
            (Some(a), Some(b)) => format!(": {a} … {b}"),
            _ => String::new(),
        };
        text.push_str(&if ko {
            format!(
                "사례 {}건을 가져왔습니다 (주관 {lead}, 접수 단계){range}\n",
                report.imported.len()
            )
        } else {
            format!(
                "imported {} cases (lead {lead}, at intake){range}\n",
                report.imported.len()
            )
        });
    }
    put(out, &text)
}

/// A backup through the store's backend (the server streams its journal).
pub(super) fn backup(
    env: &Env,
    b: &mut dyn Backend,
    file: &Path,
    out: Out,
) -> Result<(), CliError> {
    let mut target = PrivateFile::create(file, false)?;
    let report = {
        let mut writer = target.writer();
        b.backup(&mut writer)?
    };
    target.finish()?;
    said_backup(env, file, &report, out)
}

/// A backup read straight from the journal file.
pub(super) fn backup_journal(env: &Env, file: &Path, out: Out) -> Result<(), CliError> {
    let report = bk::backup(&env.dir, file)?;
    said_backup(env, file, &report, out)
}

fn said_backup(
    env: &Env,
    file: &Path,
    report: &bk::BackupReport,
    out: Out,
) -> Result<(), CliError> {
    let hash: String = report.last_hash.chars().take(16).collect();
    let mut text = if env.lang == Lang::Ko {
        format!(
            "{}에 백업했습니다: 저널 {}건, {} 바이트, 마지막 해시 {hash}…\n",
            file.display(),
            report.entries,
            report.bytes
        )
    } else {
        format!(
            "backed up to {}: {} journal entries, {} bytes, last hash {hash}…\n",
            file.display(),
            report.entries,
            report.bytes
        )
    };
    let anchor = format!("{}:{}", report.entries, report.last_hash);
    text.push_str(&if env.lang == Lang::Ko {
        format!(
            "저널 기준점 {anchor} (이 컴퓨터 밖에 적어 두세요: `casedesk check --anchor {anchor}`로 이 백업까지의 기록이 바뀌지 않았음을 확인합니다)\n"
        )
    } else {
        format!(
            "journal anchor {anchor} (note it down off this machine: `casedesk check --anchor {anchor}` proves the record up to this backup unchanged)\n"
        )
    });
    if report.left_out > 0 {
        text.push_str(env.lang.pick(
            "쓰는 중이던(아직 확인되지 않은) 변경은 넣지 않았습니다\n",
            "a change being written at that moment (not yet confirmed) was left out\n",
        ));
    }
    put(out, &text)
}

pub(super) fn restore(env: &Env, file: &Path, out: Out) -> Result<(), CliError> {
    let report = bk::restore(file, &env.dir)?;
    let text = if env.lang == Lang::Ko {
        format!(
            "{}에 복원했습니다: 저널 {}건, 사례 {}건, 진행 조치 {}건\n",
            env.dir.display(),
            report.entries,
            report.cases,
            report.open_actions
        )
    } else {
        format!(
            "restored into {}: {} journal entries, {} cases, {} open actions\n",
            env.dir.display(),
            report.entries,
            report.cases,
            report.open_actions
        )
    };
    put(out, &text)?;
    // The restored store is checked as `casedesk check` would.
    check_store(env, false, false, None, out)
}

pub(super) fn export(
    env: &Env,
    b: &mut dyn Backend,
    args: ExportArgs,
    out: Out,
) -> Result<(), CliError> {
    if args.unmasked {
        b.access().may_unmask()?;
    }
    let what = match args.what {
        ExportWhat::Cases => ex::What::Cases,
        ExportWhat::Actions => ex::What::Actions,
        ExportWhat::Notes => ex::What::Notes,
    };
    let format = match args.format {
        ExportFormat::Csv => ex::Format::Csv,
        ExportFormat::Json => ex::Format::Json,
    };
    let export = ex::export(b, what, format, args.unmasked, env.lang)?;
    let mut file = match &args.out {
        Some(path) => {
            let mut f = PrivateFile::create(path, true)?;
            f.write(&export.bytes)?;
            Some(f)
        }
        None => None,
    };
    if args.unmasked {
        // Recorded before the data leaves: the trail never misses an unmasked export.
        let to = args
            .out
            .as_ref()
            .map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
        b.apply(
            Command::RecordExport {
                what: what.name().into(),
                format: format.name().into(),
                rows: export.rows,
                to,
            },
            env.now,
            &[],
        )?;
    }
    match (file.take(), &args.out) {
        (Some(f), Some(path)) => {
            f.finish()?;
            // The data went to the file; standard output only says where.
            let note = if env.lang == Lang::Ko {
                format!("{}건을 {}에 썼습니다\n", export.rows, path.display())
            } else {
                format!("wrote {} records to {}\n", export.rows, path.display())
            };
            put(out, &note)
        }
        _ => out
            .write_all(&export.bytes)
            .map_err(|e| CliError::Output(e.to_string())),
    }
}

pub(super) fn report(
    env: &Env,
    b: &mut dyn Backend,
    month: &str,
    format: ReportFormat,
    out: Out,
) -> Result<(), CliError> {
    let first = parse_month(month).ok_or_else(|| CliError::BadMonth {
        text: month.to_string(),
    })?;
    let actions = b.all_actions()?;
    let state = b.snapshot()?;
    let mut stats = month_stats(
        state.cases.values(),
        &actions,
        state.conferences.values(),
        first,
        env.today(),
    );
    stats.count_referrals(&actions, |t| {
        state
            .teams
            .get(t)
            .is_some_and(|t| t.kind == crate::domain::vocab::TeamKind::External)
    });
    let lang = env.lang;
    let figures = stats.figures(lang);
    match format {
        ReportFormat::Json => {
            let value =
                serde_json::to_value(&stats).map_err(|e| CliError::Output(e.to_string()))?;
            put_json(out, &value)
        }
        ReportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let header = if lang == Lang::Ko {
                ["구분", "항목", "값"]
            } else {
                ["section", "item", "value"]
            };
            let fail = |e: csv::Error| CliError::Output(e.to_string());
            writer.write_record(header).map_err(fail)?;
            for f in &figures {
                writer
                    .write_record([&f.section, &f.item, &f.value])
                    .map_err(fail)?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| CliError::Output(e.to_string()))?;
            out.write_all(&bytes)
                .map_err(|e| CliError::Output(e.to_string()))
        }
        ReportFormat::Text => {
            let ym = stats.first.format("%Y-%m");
            let mut text = if lang == Lang::Ko {
                format!("{ym} 월간 통계 (기준일 {})\n", stats.as_of)
            } else {
                format!("statistics for {ym} (states as of {})\n", stats.as_of)
            };
            let width = figures
                .iter()
                .map(|f| crate::cells::width(&f.item))
                .max()
                .unwrap_or(0);
            let mut section = "";
            for f in &figures {
                if f.section != section {
                    section = &f.section;
                    text.push_str(&format!("\n{section}\n"));
                }
                text.push_str(&format!(
                    "  {}  {:>6}\n",
                    crate::cells::pad(&f.item, width),
                    f.value
                ));
            }
            text.push_str(lang.pick(
                "\n첫 사례회의: 사례가 처음 '사례회의' 단계에 들어간 날\n",
                "\nfirst conference: the day a case first entered the case-conference stage\n",
            ));
            put(out, &text)
        }
    }
}
