//! The school application form (신청서) as spreadsheet rows: its columns under Korean or English
//! headers, the background items, dates in the forms people type, and one row turned into a
//! `NewCase` or a list of what is wrong with it. Pure: no IO, no clock (today is handed in).

use chrono::NaiveDate;

use super::command::NewCase;
use super::ids::TeamCode;
use super::input::clean;
use super::limits;
use super::model::{Grade, Student};
use super::state::parse_grade;
use super::vocab::{Concern, DifficultyDomain, Sex, fold};
use crate::i18n::Lang;

/// A column of the application form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// 학생 이름 (required).
    Student,
    /// 학교 (required).
    School,
    /// 학년, optionally with the class: `3`, `3-2`, `3학년 2반` (required).
    Grade,
    /// 반.
    Class,
    /// 생년월일.
    Birth,
    /// 성별.
    Sex,
    /// 의뢰자: the person at the school who refers the student.
    Referrer,
    /// 어려움 영역 (domains; sub-items are accepted too).
    Domains,
    /// 세부 항목 (sub-items; domains are accepted too).
    SubItems,
    /// 배경 항목 (background items, see [`BACKGROUND`]).
    Background,
    /// 신청 사유.
    Reason,
    /// 요청 지원.
    Requested,
    /// 신청일 (day of referral).
    AppliedOn,
}

impl Column {
    /// Every column, in the order of the form.
    pub const ALL: [Column; 13] = [
        Column::Student,
        Column::School,
        Column::Grade,
        Column::Class,
        Column::Birth,
        Column::Sex,
        Column::Referrer,
        Column::Domains,
        Column::SubItems,
        Column::Background,
        Column::Reason,
        Column::Requested,
        Column::AppliedOn,
    ];

    /// Columns a file must have.
    pub const REQUIRED: [Column; 3] = [Column::Student, Column::School, Column::Grade];

    /// The header names it answers to: the Korean name first, then the English one, then others.
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Student => &[
                "학생 이름",
                "student",
                "학생",
                "학생명",
                "성명",
                "이름",
                "student name",
                "name",
            ],
            Column::School => &["학교", "school", "학교명", "school name"],
            Column::Grade => &["학년", "grade", "학년반", "grade class"],
            Column::Class => &["반", "class"],
            Column::Birth => &[
                "생년월일",
                "birth date",
                "생일",
                "birthdate",
                "date of birth",
                "dob",
                "birthday",
            ],
            Column::Sex => &["성별", "sex", "gender"],
            Column::Referrer => &[
                "의뢰자",
                "referrer",
                "의뢰인",
                "신청자",
                "작성자",
                "referring person",
                "referred by",
            ],
            Column::Domains => &[
                "어려움 영역",
                "domains",
                "영역",
                "위기 영역",
                "어려움 유형",
                "domain",
                "difficulty domains",
                "difficulties",
            ],
            Column::SubItems => &[
                "세부 항목",
                "sub-items",
                "세부 영역",
                "세부 내용",
                "sub items",
                "subitems",
                "concerns",
                "details",
            ],
            Column::Background => &[
                "배경 항목",
                "background",
                "배경",
                "가정 배경",
                "가정환경",
                "background items",
            ],
            Column::Reason => &[
                "신청 사유",
                "reason",
                "사유",
                "의뢰 사유",
                "referral reason",
            ],
            Column::Requested => &[
                "요청 지원",
                "requested support",
                "희망 지원",
                "지원 요청",
                "요청 사항",
                "support requested",
                "requested",
            ],
            Column::AppliedOn => &[
                "신청일",
                "applied on",
                "의뢰일",
                "접수일",
                "신청 일자",
                "application date",
                "referral date",
                "date",
            ],
        }
    }

    /// The column's name in `lang` (as in the templates).
    pub fn label(self, lang: Lang) -> &'static str {
        // Every column's names start with its Korean and its English name.
        let names = self.names();
        let at = match lang {
            Lang::Ko => 0,
            Lang::En => 1,
        };
        names.get(at).copied().unwrap_or_default()
    }

    /// The column a header cell names, whatever its language, spacing or case.
    pub fn recognise(header: &str) -> Option<Column> {
        let wanted = fold(header.trim_start_matches('\u{feff}'));
        if wanted.is_empty() {
            return None;
        }
        Column::ALL
            .into_iter()
            .find(|c| c.names().iter().any(|n| fold(n) == wanted))
    }
}

/// The background items on the form (배경 항목): `(code, Korean, English)`.
pub const BACKGROUND: &[(&str, &str, &str)] = &[
    (
        "basic_livelihood",
        "기초생활수급자",
        "basic livelihood recipient",
    ),
    (
        "legal_single_parent",
        "법정한부모",
        "statutory single-parent family",
    ),
    ("near_poverty", "법정차상위", "statutory near-poverty"),
    ("low_income", "기타 저소득", "other low income"),
    ("parents", "부모", "both parents"),
    ("single_parent", "한부모", "single parent"),
    ("grandparents", "조부모", "grandparents"),
    ("child_head", "소년소녀가장", "child-headed household"),
    ("relatives", "친척", "relatives"),
    ("shelter", "시설·쉼터", "care facility or shelter"),
    ("young_carer", "가족돌봄 아동청소년", "young carer"),
    ("multicultural", "다문화", "multicultural family"),
    ("special_education", "특수교육대상자", "special education"),
    ("defector", "북한이탈주민", "North Korean defector"),
    ("refugee", "난민인정자", "recognised refugee"),
];

/// The Korean name of a background item given by code, Korean or English name.
pub fn background_item(input: &str) -> Option<&'static str> {
    let wanted = fold(input);
    if wanted.is_empty() {
        return None;
    }
    BACKGROUND
        .iter()
        .find(|(code, ko, en)| fold(code) == wanted || fold(ko) == wanted || fold(en) == wanted)
        .map(|(_, ko, _)| *ko)
}

/// What is wrong with a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
    /// A column the form does not have (1-based position).
    Unknown {
        /// Position, from 1.
        position: usize,
        /// The header text.
        text: String,
    },
    /// The same column twice.
    Twice {
        /// The column.
        column: Column,
        /// Its second position, from 1.
        position: usize,
    },
    /// A required column is missing.
    Missing(Column),
}

impl HeaderProblem {
    /// The problem in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (HeaderProblem::Unknown { position, text }, Lang::Ko) => format!(
                "{position}번째 열 '{text}'은(는) 신청서 항목이 아닙니다: 지우거나 이름을 고치세요 ({})",
                known(lang)
            ),
            (HeaderProblem::Unknown { position, text }, Lang::En) => format!(
                "column {position} '{text}' is not an application-form column: remove or rename it ({})",
                known(lang)
            ),
            (HeaderProblem::Twice { column, position }, Lang::Ko) => format!(
                "{position}번째 열: '{}' 열이 두 번 있습니다",
                column.label(lang)
            ),
            (HeaderProblem::Twice { column, position }, Lang::En) => format!(
                "column {position}: the '{}' column appears twice",
                column.label(lang)
            ),
            (HeaderProblem::Missing(column), Lang::Ko) => {
                format!("필수 열 '{}'이(가) 없습니다", column.label(lang))
            }
            (HeaderProblem::Missing(column), Lang::En) => {
                format!("the required column '{}' is missing", column.label(lang))
            }
        }
    }
}

fn known(lang: Lang) -> String {
    Column::ALL
        .iter()
        .map(|c| c.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a header row: the column of each cell, or every problem with it.
pub fn read_header(cells: &[&str]) -> Result<Vec<Column>, Vec<HeaderProblem>> {
    let mut columns: Vec<Column> = Vec::with_capacity(cells.len());
    let mut problems = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        match Column::recognise(cell) {
            Some(c) if columns.contains(&c) => problems.push(HeaderProblem::Twice {
                column: c,
                position: i + 1,
            }),
            Some(c) => columns.push(c),
            None => problems.push(HeaderProblem::Unknown {
                position: i + 1,
                text: super::input::shown(&cell.chars().take(40).collect::<String>()),
            }),
        }
    }
    for required in Column::REQUIRED {
        if !columns.contains(&required) {
            problems.push(HeaderProblem::Missing(required));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// Why a cell was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// A required cell is empty.
    Empty,
    /// Longer than the field allows.
    TooLong {
        /// Characters allowed.
        max: usize,
    },
    /// Not a grade from 1 to 6 (with a class above 0).
    BadGrade(String),
    /// Not a class number.
    BadClass(String),
    /// Not a date in a form that can be read without guessing.
    BadDate(String),
    /// A date after today.
    FutureDate(NaiveDate),
    /// Not 남/여 (m/f).
    BadSex(String),
    /// Not a difficulty domain or sub-item.
    UnknownDomain(String),
    /// Not a background item.
    UnknownBackground(String),
}

impl CellProblem {
    /// The reason in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            CellProblem::Empty => lang
                .pick("비어 있습니다 (필수 항목)", "empty, but it is required")
                .to_string(),
            CellProblem::TooLong { max } => {
                if ko {
                    format!("{max}자보다 깁니다: 줄이세요")
                } else {
                    format!("longer than {max} characters: shorten it")
                }
            }
            CellProblem::BadGrade(v) => {
                if ko {
                    format!("'{v}'은(는) 학년이 아닙니다: 1~6, 3-2, 3학년 2반처럼 쓰세요")
                } else {
                    format!("'{v}' is not a grade: write 1 to 6, 3-2 or 3학년 2반")
                }
            }
            CellProblem::BadClass(v) => {
                if ko {
                    format!("'{v}'은(는) 반이 아닙니다: 2 또는 2반처럼 쓰세요")
                } else {
                    format!("'{v}' is not a class number: write 2 or 2반")
                }
            }
            CellProblem::BadDate(v) => {
                if ko {
                    format!(
                        "'{v}'은(는) 읽을 수 있는 날짜가 아닙니다: 2015-03-04, 2015.3.4, 20150304, 2015년 3월 4일처럼 연도를 앞에 쓰세요"
                    )
                } else {
                    format!(
                        "'{v}' is not a date that can be read without guessing: write the year first, as 2015-03-04, 2015.3.4, 20150304 or 2015년 3월 4일"
                    )
                }
            }
            CellProblem::FutureDate(d) => {
                if ko {
                    format!("{d}은(는) 오늘 이후입니다")
                } else {
                    format!("{d} is after today")
                }
            }
            CellProblem::BadSex(v) => {
                if ko {
                    format!("'{v}'은(는) 성별이 아닙니다: 남 또는 여 (m, f)")
                } else {
                    format!("'{v}' is not a sex: 남 or 여 (m, f)")
                }
            }
            CellProblem::UnknownDomain(v) => {
                if ko {
                    format!(
                        "'{v}'은(는) 어려움 영역이나 세부 항목이 아닙니다 ({})",
                        DifficultyDomain::ALL
                            .iter()
                            .map(|d| d.ko())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    format!(
                        "'{v}' is not a difficulty domain or sub-item ({})",
                        DifficultyDomain::codes()
                    )
                }
            }
            CellProblem::UnknownBackground(v) => {
                let list: Vec<&str> = BACKGROUND
                    .iter()
                    .map(|(_, k, e)| if ko { *k } else { *e })
                    .collect();
                if ko {
                    format!("'{v}'은(는) 배경 항목이 아닙니다 ({})", list.join(", "))
                } else {
                    format!("'{v}' is not a background item ({})", list.join(", "))
                }
            }
        }
    }
}

/// One problem in a row: the column (when one is to blame) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The column.
    pub column: Column,
    /// Why.
    pub problem: CellProblem,
}

/// Reads a date as written on forms: `2015-03-04`, `2015.03.04`, `2015. 3. 4.`, `2015/3/4`,
/// `20150304`, `2015년 3월 4일`. The year must come first: `3/4/2015` could be March or April.
pub fn parse_form_date(input: &str) -> Option<NaiveDate> {
    let text = input.trim();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let y = text.get(0..4)?.parse().ok()?;
        let m = text.get(4..6)?.parse().ok()?;
        let d = text.get(6..8)?.parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    // Only digits and the separators people use may appear.
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | '/' | ' ' | '년' | '월' | '일');
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || !text.chars().all(allowed) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Turns one row (cells in the order of `columns`) into a case led by `lead`, or every problem
/// with it. `today` bounds the dates. Reason, requested support and background items go into
/// the summary, labelled.
pub fn read_row(
    columns: &[Column],
    cells: &[&str],
    lead: &TeamCode,
    today: NaiveDate,
) -> Result<NewCase, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let cell = |c: Column| -> String {
        columns
            .iter()
            .position(|x| *x == c)
            .and_then(|i| cells.get(i))
            .map(|v| clean(v, false))
            .unwrap_or_default()
    };
    let text = |c: Column, max: usize, required: bool, problems: &mut Vec<RowProblem>| {
        let v = cell(c);
        if v.is_empty() && required {
            problems.push(RowProblem {
                column: c,
                problem: CellProblem::Empty,
            });
        } else if v.chars().count() > max {
            problems.push(RowProblem {
                column: c,
                problem: CellProblem::TooLong { max },
            });
        }
        v
    };
    let name = text(Column::Student, limits::NAME, true, &mut problems);
    let school = text(Column::School, limits::NAME, true, &mut problems);
    let referrer = text(Column::Referrer, limits::NAME, false, &mut problems);
    let reason = text(Column::Reason, limits::LINE, false, &mut problems);
    let requested = text(Column::Requested, limits::LINE, false, &mut problems);

    let grade_text = cell(Column::Grade);
    let class_text = cell(Column::Class);
    let mut grade = Grade {
        year: 1,
        class: None,
    };
    if grade_text.is_empty() {
        problems.push(RowProblem {
            column: Column::Grade,
            problem: CellProblem::Empty,
        });
    } else {
        match parse_grade(&grade_text) {
            Ok(g) => grade = g,
            Err(_) => problems.push(RowProblem {
                column: Column::Grade,
                problem: CellProblem::BadGrade(grade_text.clone()),
            }),
        }
    }
    if !class_text.is_empty() {
        let digits = class_text.trim_end_matches('반').trim();
        match digits.parse::<u16>() {
            Ok(n) if n > 0 && grade.class.is_none_or(|c| c == n) => grade.class = Some(n),
            _ => problems.push(RowProblem {
                column: Column::Class,
                problem: CellProblem::BadClass(class_text.clone()),
            }),
        }
    }

    let date = |c: Column, problems: &mut Vec<RowProblem>| -> Option<NaiveDate> {
        let v = cell(c);
        if v.is_empty() {
            return None;
        }
        match parse_form_date(&v) {
            Some(d) if d > today => {
                problems.push(RowProblem {
                    column: c,
                    problem: CellProblem::FutureDate(d),
                });
                None
            }
            Some(d) => Some(d),
            None => {
                problems.push(RowProblem {
                    column: c,
                    problem: CellProblem::BadDate(v),
                });
                None
            }
        }
    };
    let birth_on = date(Column::Birth, &mut problems);
    let referred_on = date(Column::AppliedOn, &mut problems);

    let sex_text = cell(Column::Sex);
    let sex = if sex_text.is_empty() {
        None
    } else {
        let s = Sex::parse(&sex_text);
        if s.is_none() {
            problems.push(RowProblem {
                column: Column::Sex,
                problem: CellProblem::BadSex(sex_text),
            });
        }
        s
    };

    let mut domains: Vec<DifficultyDomain> = Vec::new();
    let mut concerns: Vec<Concern> = Vec::new();
    for column in [Column::Domains, Column::SubItems] {
        for word in list(&cell(column)) {
            if let Some(d) = DifficultyDomain::parse(word) {
                domains.push(d);
            } else if let Some(c) = Concern::parse(word) {
                concerns.push(c);
            } else {
                problems.push(RowProblem {
                    column,
                    problem: CellProblem::UnknownDomain(word.to_string()),
                });
            }
        }
    }
    let mut background: Vec<&str> = Vec::new();
    for word in list(&cell(Column::Background)) {
        match background_item(word) {
            Some(item) if !background.contains(&item) => background.push(item),
            Some(_) => {}
            None => problems.push(RowProblem {
                column: Column::Background,
                problem: CellProblem::UnknownBackground(word.to_string()),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // The form's free text and background items travel in the summary, labelled.
    let mut summary = Vec::new();
    if !reason.is_empty() {
        summary.push(format!("신청 사유: {reason}"));
    }
    if !requested.is_empty() {
        summary.push(format!("요청 지원: {requested}"));
    }
    if !background.is_empty() {
        summary.push(format!("배경: {}", background.join(", ")));
    }
    let nonempty = |s: String| if s.is_empty() { None } else { Some(s) };
    Ok(NewCase {
        student: Student {
            name,
            birth_on,
            sex,
        },
        school,
        grade,
        lead_team: lead.clone(),
        co_teams: Vec::new(),
        level: None,
        domains,
        concerns,
        review_on: None,
        referral_source: nonempty(referrer),
        referred_on,
        lead_person: None,
        summary: nonempty(summary.join(" · ")),
        urgent: false,
        safety: false,
        background: background.iter().map(|b| (*b).to_string()).collect(),
        // The import finds duplicates itself, in the file and in the store.
        check_duplicates: false,
    })
}

/// The items of a list cell: separated by commas, semicolons, line breaks or `|`.
fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', ';', '，', '\n', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// What makes two applications the same student: name, birth date and school, compared as
/// folded text (spacing and case do not matter).
pub fn student_key(
    name: &str,
    birth_on: Option<NaiveDate>,
    school: &str,
) -> (String, Option<NaiveDate>, String) {
    (fold(name), birth_on, fold(school))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language_are_recognised() {
        assert_eq!(Column::recognise("학생 이름"), Some(Column::Student));
        assert_eq!(Column::recognise("\u{feff}성명"), Some(Column::Student));
        assert_eq!(Column::recognise("Birth Date"), Some(Column::Birth));
        assert_eq!(Column::recognise("sub-items"), Some(Column::SubItems));
        assert_eq!(Column::recognise("요청지원"), Some(Column::Requested));
        assert_eq!(Column::recognise("shoe size"), None);
    }

    #[test]
    fn dates_are_read_year_first_only() {
        let d = NaiveDate::from_ymd_opt(2015, 3, 4);
        for text in [
            "2015-03-04",
            "2015.3.4",
            "2015. 3. 4.",
            "2015/03/04",
            "20150304",
            "2015년 3월 4일",
        ] {
            assert_eq!(parse_form_date(text), d, "{text}");
        }
        for text in [
            "3/4/2015",
            "15-03-04",
            "2015-02-30",
            "yesterday",
            "2015-03-04x",
            "",
        ] {
            assert_eq!(parse_form_date(text), None, "{text}");
        }
    }
}
