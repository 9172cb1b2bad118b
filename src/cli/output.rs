//! How records look on the command line: aligned tables (Hangul is two cells wide) and stable
//! JSON for scripts. Pure: builds strings and JSON values, prints nothing.

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use crate::cells::{fit_table, table};
use crate::domain::masking::mask_name;
use crate::domain::model::Grade;
use crate::domain::vocab::{ActionStatus, NoteKind};
use crate::domain::{Action, Case, Note, State, Team};
use crate::i18n::Lang;

const MAX_CELL: usize = 40;

/// A date with its weekday: `2026-12-04 (금)`.
pub fn day(date: NaiveDate, lang: Lang) -> String {
    crate::i18n::day(date, lang)
}

fn student(case: &Case, unmasked: bool) -> String {
    if unmasked {
        case.student.name.clone()
    } else {
        mask_name(&case.student.name)
    }
}

fn grade(g: &Grade) -> String {
    g.to_string()
}

/// `3학년 2반` / `grade 3, class 2`.
fn grade_words(g: &Grade, lang: Lang) -> String {
    match (lang, g.class) {
        (Lang::Ko, Some(c)) => format!("{}학년 {c}반", g.year),
        (Lang::Ko, None) => format!("{}학년", g.year),
        (Lang::En, Some(c)) => format!("grade {}, class {c}", g.year),
        (Lang::En, None) => format!("grade {}", g.year),
    }
}

/// Due state of an action in words: `3일 지남` / `3d late`, `오늘` / `today`, or empty.
fn lateness(action: &Action, today: NaiveDate, lang: Lang) -> String {
    if !action.is_open() {
        return String::new();
    }
    let days = (today - action.due_on).num_days();
    match days {
        d if d > 0 => lang
            .pick(&format!("{d}일 지남"), &format!("{d}d late"))
            .to_string(),
        0 => lang.pick("오늘", "today").to_string(),
        _ => String::new(),
    }
}

/// The case table, fitted to `limit` cells when given (the school, then the cooperating teams
/// are shortened; the case number never).
pub fn case_table(
    state: &State,
    cases: &[&Case],
    unmasked: bool,
    today: NaiveDate,
    lang: Lang,
    limit: Option<usize>,
) -> String {
    let header = if lang == Lang::Ko {
        [
            "번호",
            "학생",
            "학교·학년",
            "위기",
            "단계",
            "주관",
            "협력",
            "다음 기한",
            "기한초과",
        ]
    } else {
        [
            "number", "student", "school", "level", "stage", "lead", "co-teams", "next due", "late",
        ]
    };
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let overdue = state
                .actions_of(c.number)
                .filter(|a| a.is_overdue(today))
                .count();
            vec![
                c.number.to_string(),
                student(c, unmasked),
                format!("{} {}", c.school, grade(&c.grade)),
                c.level.label(lang).to_string(),
                c.stage.label(lang).to_string(),
                c.lead_team.to_string(),
                c.co_teams
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                state
                    .next_due(c.number)
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                if overdue > 0 {
                    format!("! {overdue}")
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    // Free text first (school, cooperating teams), then words (stage, level), then the name.
    fit_table(&header, &rows, &[&[2, 6], &[4, 3], &[1]], limit)
}

/// A case as JSON for lists.
pub fn case_json(state: &State, case: &Case, unmasked: bool, today: NaiveDate) -> Value {
    let open: Vec<&Action> = state
        .actions_of(case.number)
        .filter(|a| a.is_open())
        .collect();
    json!({
        "number": case.number.to_string(),
        "student": student(case, unmasked),
        "school": case.school,
        "grade": grade(&case.grade),
        "level": case.level.code(),
        "stage": case.stage.code(),
        "lead_team": case.lead_team.to_string(),
        "lead_person": case.lead_person,
        "co_teams": case.co_teams.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "domains": case.domains.iter().map(|d| d.code()).collect::<Vec<_>>(),
        "concerns": case.concerns.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "review_on": case.review_on.map(|d| d.to_string()),
        "next_due": open.iter().map(|a| a.due_on).min().map(|d| d.to_string()),
        "open_actions": open.len(),
        "overdue_actions": open.iter().filter(|a| a.is_overdue(today)).count(),
        "urgent": case.urgent,
        "safety": case.safety,
        "referred_on": case.referred_on.to_string(),
        "opened_at": case.opened_at.to_rfc3339(),
        "closed_on": case.closed_on.map(|d| d.to_string()),
        "rev": crate::domain::revision::case_rev(case),
    })
}

/// A case with everything, as JSON (`case show --json`).
pub fn case_detail_json(
    state: &State,
    case: &Case,
    actions: &[Action],
    notes: &[Note],
    unmasked: bool,
    today: NaiveDate,
) -> Value {
    let mut value = case_json(state, case, unmasked, today);
    if let Value::Object(map) = &mut value {
        map.insert(
            "birth_on".into(),
            json!(
                case.student
                    .birth_on
                    .filter(|_| unmasked)
                    .map(|d| d.to_string())
            ),
        );
        map.insert("sex".into(), json!(case.student.sex.map(|s| s.code())));
        map.insert("referral_source".into(), json!(case.referral_source));
        map.insert("summary".into(), json!(case.summary));
        map.insert("background".into(), json!(case.background));
        map.insert("opened_by".into(), json!(case.opened_by));
        map.insert(
            "merged_into".into(),
            json!(case.merged_into.map(|n| n.to_string())),
        );
        map.insert(
            "merged_in".into(),
            json!(
                state
                    .merged_into(case.number)
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ),
        );
        map.insert("consent".into(), consent_json(&case.consent));
        map.insert(
            "level_history".into(),
            json!(
                case.level_history
                    .iter()
                    .map(|c| json!({"on": c.on.to_string(), "level": c.to.code(), "by": c.by}))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert(
            "stage_history".into(),
            json!(
                case.stage_history
                    .iter()
                    .map(|c| json!({"on": c.on.to_string(), "stage": c.to.code(), "by": c.by, "skipped": c.skipped}))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert(
            "actions".into(),
            json!(
                actions
                    .iter()
                    .map(|a| action_json(a, today))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert(
            "notes".into(),
            json!(
                notes
                    .iter()
                    .map(|n| note_json(n, unmasked))
                    .collect::<Vec<_>>()
            ),
        );
    }
    value
}

/// An action as JSON.
pub fn action_json(action: &Action, today: NaiveDate) -> Value {
    json!({
        "id": action.id.to_string(),
        "case": action.id.case.to_string(),
        "title": action.title,
        "team": action.team.to_string(),
        "person": action.person,
        "due": action.due_on.to_string(),
        "status": action.status.code(),
        "overdue": action.is_overdue(today),
        "closed_on": action.closed_on.map(|d| d.to_string()),
        "closed_by": action.closed_by,
        "result": action.result,
        "progress": action
            .progress
            .iter()
            .map(|p| json!({"at": p.at.to_rfc3339(), "by": p.by, "text": p.text}))
            .collect::<Vec<_>>(),
        "created_at": action.created_at.to_rfc3339(),
        "created_by": action.created_by,
        "conference": action.conference,
        "without_consent": action.without_consent,
        "rev": crate::domain::revision::action_rev(action),
    })
}

/// A case's consents as JSON: the standing day of consent to collect and the agencies it may be
/// shared with (as before), and every consent numbered, withdrawn ones too.
pub fn consent_json(consent: &crate::domain::model::Consent) -> Value {
    let entries = consent.entries();
    let standing = |r: &&crate::domain::model::ConsentRecord| r.withdrawn_on.is_none();
    json!({
        "collection_on": entries
            .iter()
            .filter(standing)
            .filter(|r| r.kind == crate::domain::vocab::ConsentKind::Collection)
            .filter_map(|r| r.given_on)
            .max()
            .map(|d| d.to_string()),
        "third_party": entries
            .iter()
            .filter(standing)
            .filter_map(|r| r.agency.as_ref().map(ToString::to_string))
            .collect::<Vec<_>>(),
        "records": entries
            .iter()
            .enumerate()
            .map(|(i, r)| json!({
                "n": i + 1,
                "kind": r.kind.code(),
                "agency": r.agency.as_ref().map(ToString::to_string),
                "given_on": r.given_on.map(|d| d.to_string()),
                "given_by": r.given_by.code(),
                "withdrawn_on": r.withdrawn_on.map(|d| d.to_string()),
            }))
            .collect::<Vec<_>>(),
    })
}

/// A note as JSON; a restricted note's text is `null` unless `unmasked`.
pub fn note_json(note: &Note, unmasked: bool) -> Value {
    json!({
        "case": note.case.to_string(),
        "n": note.n,
        "at": note.at.to_rfc3339(),
        "author": note.author,
        "kind": note.kind.code(),
        "text": if note.restricted && !unmasked { None } else { Some(&note.text) },
        "restricted": note.restricted,
    })
}

/// The action table, each action with its case's student (masked) when `students` knows the
/// case, fitted to `limit` cells when given (the title, then the person and the status are
/// shortened; the action id never).
pub fn action_table(
    actions: &[&Action],
    students: Option<&dyn Fn(crate::domain::CaseNumber) -> Option<String>>,
    today: NaiveDate,
    lang: Lang,
    limit: Option<usize>,
) -> String {
    let header = if lang == Lang::Ko {
        ["번호", "학생", "내용", "담당", "담당자", "기한", "상태"]
    } else {
        ["id", "student", "title", "team", "person", "due", "status"]
    };
    let rows: Vec<Vec<String>> = actions
        .iter()
        .map(|a| {
            let late = lateness(a, today, lang);
            // An open action that is late or due today says only that (`! 3일 지남`).
            let status = match a.status {
                ActionStatus::Open if !late.is_empty() => late,
                ActionStatus::Open => a.status.label(lang).to_string(),
                _ => format!(
                    "{} {}{}",
                    a.status.label(lang),
                    a.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                    a.closed_by
                        .as_deref()
                        .map(|by| format!(" · {by}"))
                        .unwrap_or_default()
                ),
            };
            let status = if a.is_overdue(today) {
                format!("! {status}")
            } else {
                status
            };
            let mut row = vec![a.id.to_string()];
            if let Some(students) = students {
                row.push(
                    students(a.id.case)
                        .map(|name| mask_name(&name))
                        .unwrap_or_else(|| "-".into()),
                );
            }
            row.extend([
                a.title.clone(),
                a.team.to_string(),
                a.person.clone().unwrap_or_default(),
                day(a.due_on, lang),
                status,
            ]);
            row
        })
        .collect();
    let table = if students.is_some() {
        fit_table(&header, &rows, &[&[2, 4, 6], &[1]], limit)
    } else {
        // Within one case (`case show`): no student column.
        let header: Vec<&str> = header
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, h)| *h)
            .collect();
        fit_table(&header, &rows, &[&[1, 3], &[5]], limit)
    };
    // What came of each action, or its latest progress, on a line of its own under it, whole
    // (a cell would cut it), from the second column.
    let indent = actions
        .iter()
        .map(|a| crate::cells::width(&a.id.to_string()))
        .chain([crate::cells::width(header[0])])
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = String::new();
    let mut lines = table.lines();
    if let Some(head) = lines.next() {
        out.push_str(head);
        out.push('\n');
    }
    for (line, a) in lines.zip(actions) {
        out.push_str(line);
        out.push('\n');
        if let Some(follow) = a.follow_line(lang, str::to_string) {
            let follow = format!("{}↳ {follow}", " ".repeat(indent));
            // Fitted to the terminal like the rows above it; whole in a pipe or with --wide.
            let follow = match limit {
                Some(cells) => crate::cells::truncate(&follow, cells),
                None => follow,
            };
            out.push_str(&follow);
            out.push('\n');
        }
    }
    out
}

/// The team table.
pub fn team_table(teams: &[Team], lang: Lang) -> String {
    let header = if lang == Lang::Ko {
        ["코드", "이름", "영문", "구분"]
    } else {
        ["code", "name", "english", "kind"]
    };
    let rows: Vec<Vec<String>> = teams
        .iter()
        .map(|t| {
            vec![
                t.code.to_string(),
                t.name_ko.clone(),
                t.name_en.clone(),
                t.kind.label(lang).to_string(),
            ]
        })
        .collect();
    table(&header, &rows, MAX_CELL)
}

/// A team as JSON.
pub fn team_json(team: &Team) -> Value {
    json!({
        "code": team.code.to_string(),
        "name": team.name_ko,
        "name_en": team.name_en,
        "kind": team.kind.code(),
        "contact": team.contact,
    })
}

fn team_label(state: &State, code: &crate::domain::TeamCode, lang: Lang) -> String {
    match state.team(code) {
        Some(t) => format!("{} {}", t.code, t.name(lang)),
        None => code.to_string(),
    }
}

/// Every field of a case, its actions and its notes, as text.
pub fn case_detail(
    state: &State,
    case: &Case,
    actions: &[Action],
    notes: &[Note],
    unmasked: bool,
    today: NaiveDate,
    lang: Lang,
) -> String {
    let ko = lang == Lang::Ko;
    let l = |k: &'static str, e: &'static str| if ko { k } else { e };
    let mut rows: Vec<(&str, String)> = Vec::new();
    let mut who = student(case, unmasked);
    let mut extra = Vec::new();
    if let Some(sex) = case.student.sex {
        extra.push(sex.label(lang).to_string());
    }
    if let Some(birth) = case.student.birth_on {
        extra.push(if unmasked {
            birth.to_string()
        } else {
            format!("{}-**-**", birth.year())
        });
    }
    if !extra.is_empty() {
        who = format!("{who} ({})", extra.join(", "));
    }
    rows.push((l("학생", "student"), who));
    rows.push((
        l("학교", "school"),
        format!("{} {}", case.school, grade_words(&case.grade, lang)),
    ));
    let domains: Vec<String> = case.domain_labels(lang);
    rows.push((
        l("영역", "domains"),
        if domains.is_empty() {
            "-".into()
        } else {
            domains.join(", ")
        },
    ));
    rows.push((l("위기 수준", "level"), case.level.label(lang).to_string()));
    rows.push((l("단계", "stage"), case.stage.label(lang).to_string()));
    let mut lead = team_label(state, &case.lead_team, lang);
    if let Some(person) = &case.lead_person {
        lead = format!("{lead} — {person}");
    }
    rows.push((l("주관부서", "lead team"), lead));
    let co: Vec<String> = case
        .co_teams
        .iter()
        .map(|c| team_label(state, c, lang))
        .collect();
    rows.push((
        l("협력부서", "cooperating"),
        if co.is_empty() {
            "-".into()
        } else {
            co.join(", ")
        },
    ));
    let source = case.referral_source.clone().unwrap_or_default();
    rows.push((
        l("의뢰", "referred"),
        format!("{} {source}", case.referred_on)
            .trim_end()
            .to_string(),
    ));
    rows.push((
        l("다음 점검일", "next review"),
        case.review_on
            .map(|d| day(d, lang))
            .unwrap_or_else(|| "-".into()),
    ));
    let consent = case.consent_label(lang);
    rows.push((l("보호자 동의", "consent"), consent));
    for (i, record) in case.consent.entries().iter().enumerate() {
        rows.push(("", format!("#{} {}", i + 1, record.label(lang))));
    }
    let mut flags = Vec::new();
    if case.urgent {
        flags.push(l("긴급", "urgent"));
    }
    if case.safety {
        flags.push(l("안전", "safety"));
    }
    if !flags.is_empty() {
        rows.push((l("표시", "flags"), flags.join(", ")));
    }
    if !case.summary.is_empty() {
        rows.push((l("요약", "summary"), case.summary.clone()));
    }
    if !case.background.is_empty() {
        rows.push((l("배경", "background"), case.background.join(", ")));
    }
    rows.push((
        l("등록", "registered"),
        format!(
            "{} {}",
            case.opened_at.format("%Y-%m-%d %H:%M"),
            case.opened_by
        ),
    ));
    if let Some(closed) = case.closed_on {
        rows.push((l("종결일", "closed on"), closed.to_string()));
    }
    let levels: Vec<String> = case
        .level_history
        .iter()
        .map(|c| format!("{} {} ({})", c.on, c.to.label(lang), c.by))
        .collect();
    rows.push((l("위기 수준 이력", "level history"), levels.join(" → ")));
    let stages: Vec<String> = case
        .stage_history
        .iter()
        .map(|c| {
            let skipped = if c.skipped {
                lang.pick(" 건너뜀", " skipped")
            } else {
                ""
            };
            format!("{} {}{skipped} ({})", c.on, c.to.label(lang), c.by)
        })
        .collect();
    rows.push((l("단계 이력", "stage history"), stages.join(" → ")));

    let label_width = rows
        .iter()
        .map(|(k, _)| crate::cells::width(k))
        .max()
        .unwrap_or(0);
    if let Some(into) = case.merged_into {
        let into = state.merge_target(into);
        rows.insert(
            0,
            (
                l("병합", "merged"),
                match lang {
                    Lang::Ko => format!(
                        "{into}에 병합됨: 조치·기록·안건은 {into}에 있습니다 (`casedesk case show {into}`)"
                    ),
                    Lang::En => format!(
                        "into {into}: its actions, notes and agenda items are there (`casedesk case show {into}`)"
                    ),
                },
            ),
        );
    }
    let merged = state.merged_into(case.number);
    if !merged.is_empty() {
        rows.push((
            l("병합된 사례", "merged in"),
            merged
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let mut out = format!("{} {}\n", l("사례", "case"), case.number);
    for (k, v) in rows {
        out.push_str(&format!("  {}  {v}\n", crate::cells::pad(k, label_width)));
    }
    out.push_str(&format!(
        "\n{} ({})\n",
        l("조치사항", "actions"),
        actions.len()
    ));
    if !actions.is_empty() {
        let refs: Vec<&Action> = actions.iter().collect();
        for line in action_table(&refs, None, today, lang, None).lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&format!("\n{} ({})\n", l("기록", "notes"), notes.len()));
    for note in notes {
        let text = if note.restricted && !unmasked {
            l(
                "(제한 기록: 내용은 --unmasked로만 봅니다)",
                "(restricted: shown only with --unmasked)",
            )
            .to_string()
        } else {
            note.text.replace('\n', "\n      ")
        };
        let marker = if note.restricted {
            l(" [제한]", " [restricted]")
        } else {
            ""
        };
        let mut kind = if note.kind == NoteKind::Note {
            String::new()
        } else {
            format!(" [{}]", note.kind.label(lang))
        };
        if note.case != case.number {
            // A note of a case merged into this one.
            kind.push_str(&format!(" [{}]", note.case));
        }
        out.push_str(&format!(
            "  {} {}{kind}{marker}\n      {text}\n",
            note.at.format("%Y-%m-%d %H:%M"),
            note.author
        ));
    }
    out
}
