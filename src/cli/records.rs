//! The record commands: cases, actions, notes and teams, each one store command (or a read)
//! through the backend, with what it did written out.

use super::args::{ActionCmd, CaseAdd, CaseCmd, CaseList, CaseSet, NoteCmd, TeamCmd};
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use super::output;
use crate::backend::{Backend, CaseFilter, Scope};
use crate::domain::dates::parse_date;
use crate::domain::model::{Student, Team};
use crate::domain::revision::{Expect, RecordRef, action_rev, case_rev};
use crate::domain::state::{parse_domains, parse_grade, parse_level, parse_sex, parse_stage};
use crate::domain::vocab::{NoteKind, TeamKind};
use crate::domain::{
    Action, ActionId, CaseNumber, CaseUpdate, Command, DomainError, NewCase, Outcome, SharingCheck,
    State, TeamCode,
};
use crate::i18n::Lang;
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};

/// The case a typed number names, as the person may see it.
pub(super) fn find_case(b: &mut dyn Backend, input: &str) -> Result<CaseNumber, CliError> {
    Ok(case_view(b, input)?.1)
}

/// One case with its open actions (and the office and teams), and its number.
pub(super) fn case_view(b: &mut dyn Backend, input: &str) -> Result<(State, CaseNumber), CliError> {
    let unknown = || DomainError::UnknownCase {
        input: input.trim().to_string(),
    };
    let number: CaseNumber = input.parse().map_err(|_| unknown())?;
    let view = b.view(&Scope::Case(number))?;
    view.find_case(input)?;
    Ok((view, number))
}

fn date(input: &str, env: &Env) -> Result<NaiveDate, CliError> {
    Ok(parse_date(input, env.today())?)
}

/// A due or review date: a month and day without a year is the next one from today on; business
/// days skip the office's closing days too.
fn date_ahead(input: &str, env: &Env) -> Result<NaiveDate, CliError> {
    let calendar = env.calendar()?;
    let date = calendar.parse_date_ahead(input, env.today())?;
    if calendar.rolls_to_next_year(input, env.today()) {
        next_year_note(input, date, env.lang);
    }
    Ok(date)
}

/// One line on stderr when a month and day already past this year was taken as next year's
/// (`11/30` typed on 1 December): the date is not what a reader of the command might assume.
pub(super) fn next_year_note(input: &str, date: NaiveDate, lang: crate::i18n::Lang) {
    let day = output::day(date, lang);
    let text = match lang {
        crate::i18n::Lang::Ko => {
            format!("casedesk: 참고: '{input}'은(는) 올해 이미 지났으므로 내년 {day}로 읽었습니다")
        }
        crate::i18n::Lang::En => format!(
            "casedesk: note: '{input}' has passed this year, so it was read as next year's {day}"
        ),
    };
    let _ = writeln!(std::io::stderr(), "{text}");
}

pub(super) fn case(env: &Env, b: &mut dyn Backend, cmd: CaseCmd, out: Out) -> Result<(), CliError> {
    match cmd {
        CaseCmd::Add(add) => case_add(b, env, add, out),
        CaseCmd::List(list) => case_list(b, env, list, out),
        CaseCmd::Show {
            case,
            unmasked,
            json,
        } => {
            if unmasked {
                b.access().may_unmask()?;
            }
            let (state, number) = case_view(b, &case)?;
            let record = state.find_case(&case)?.clone();
            let actions = b.case_actions(number)?;
            let notes = b.notes_of(number)?;
            if json {
                put_json(
                    out,
                    &output::case_detail_json(
                        &state,
                        &record,
                        &actions,
                        &notes,
                        unmasked,
                        env.today(),
                    ),
                )
            } else {
                put(
                    out,
                    &output::case_detail(
                        &state,
                        &record,
                        &actions,
                        &notes,
                        unmasked,
                        env.today(),
                        env.lang,
                    ),
                )
            }
        }
        CaseCmd::Set(set) => case_set(b, env, set, out),
        CaseCmd::Merge { keep, other, yes } => case_merge(b, env, &keep, &other, yes, out),
        CaseCmd::Close {
            case,
            reason,
            drop_open,
        } => {
            let number = find_case(b, &case)?;
            let receipt = b.apply(
                Command::CloseCase {
                    case: number,
                    reason,
                    drop_open,
                },
                env.now,
                &[],
            )?;
            let dropped = match receipt.outcome {
                Outcome::Closed { dropped } => dropped,
                _ => Vec::new(),
            };
            let mut text = match env.lang {
                Lang::Ko => format!("{number} 종결"),
                Lang::En => format!("{number} closed"),
            };
            if !dropped.is_empty() {
                let list: Vec<String> = dropped.iter().map(ToString::to_string).collect();
                text.push_str(&match env.lang {
                    Lang::Ko => format!(" (조치 취소: {})", list.join(", ")),
                    Lang::En => format!(" (dropped: {})", list.join(", ")),
                });
            }
            put(out, &format!("{text}\n"))
        }
        CaseCmd::Reopen { case, reason } => {
            let number = find_case(b, &case)?;
            b.apply(
                Command::ReopenCase {
                    case: number,
                    reason,
                },
                env.now,
                &[],
            )?;
            put(
                out,
                &match env.lang {
                    Lang::Ko => format!("{number} 재개 (사례회의 단계)\n"),
                    Lang::En => format!("{number} reopened (at case conference)\n"),
                },
            )
        }
    }
}

fn case_add(b: &mut dyn Backend, env: &Env, add: CaseAdd, out: Out) -> Result<(), CliError> {
    let teams = b.view(&Scope::Teams)?;
    let state = &teams;
    let lead_team = state.resolve_team(&add.lead)?;
    let co_teams = match &add.co {
        Some(co) => state.resolve_teams(co)?,
        None => Vec::new(),
    };
    let level = add.level.as_deref().map(parse_level).transpose()?;
    let (domains, concerns) = match &add.domain {
        Some(d) => parse_domains(d)?,
        None => (Vec::new(), Vec::new()),
    };
    let review_on = add
        .review
        .as_deref()
        .map(|d| date_ahead(d, env))
        .transpose()?;
    let birth_on = add.birth.as_deref().map(|d| date(d, env)).transpose()?;
    let sex = add.sex.as_deref().map(parse_sex).transpose()?;
    let new = NewCase {
        student: Student {
            name: add.student,
            birth_on,
            sex,
        },
        school: add.school,
        grade: parse_grade(&add.grade)?,
        lead_team,
        co_teams,
        level,
        domains,
        concerns,
        review_on,
        referral_source: add.source,
        referred_on: None,
        lead_person: add.person,
        summary: add.summary,
        urgent: add.urgent,
        safety: add.safety,
        background: add
            .background
            .as_deref()
            .map(list_items)
            .unwrap_or_default(),
        check_duplicates: !add.allow_duplicate,
    };
    let receipt = b.apply(Command::CreateCase { case: new }, env.now, &[])?;
    match receipt.outcome {
        Outcome::Case { number } => put(out, &format!("{number}\n")),
        _ => Ok(()),
    }
}

fn case_list(b: &mut dyn Backend, env: &Env, list: CaseList, out: Out) -> Result<(), CliError> {
    if list.unmasked {
        b.access().may_unmask()?;
    }
    let team = match list.team.as_deref() {
        Some(t) => Some(b.view(&Scope::Teams)?.resolve_team(t)?),
        None => None,
    };
    let filter = CaseFilter {
        team,
        level: list.level.as_deref().map(parse_level).transpose()?,
        stage: list.stage.as_deref().map(parse_stage).transpose()?,
        closed: list.all,
    };
    let view = b.view(&Scope::Cases(filter))?;
    let state = &view;
    let cases: Vec<&crate::domain::Case> = state.cases.values().collect();
    if list.json {
        let values: Vec<serde_json::Value> = cases
            .iter()
            .map(|c| output::case_json(state, c, list.unmasked, env.today()))
            .collect();
        put_json(out, &serde_json::Value::Array(values))
    } else if cases.is_empty() {
        put(
            out,
            &super::out::nothing("조건에 맞는 사례가 없습니다", "No case matches", env.lang),
        )
    } else {
        put(
            out,
            &output::case_table(
                state,
                &cases,
                list.unmasked,
                env.today(),
                env.lang,
                super::out::table_width(list.wide),
            ),
        )
    }
}

fn case_set(b: &mut dyn Backend, env: &Env, set: CaseSet, out: Out) -> Result<(), CliError> {
    let (view, number) = case_view(b, &set.case)?;
    let state = &view;
    let case = state.find_case(&set.case)?;
    let teams = |option: &'static str, v: &Option<String>| -> Result<_, CliError> {
        match v.as_deref().map(|v| setting(option, v)).transpose()? {
            None => Ok(None),
            Some(Setting::Clear) => Ok(Some(Vec::new())),
            Some(Setting::To(v)) => Ok(Some(state.resolve_teams(v)?)),
        }
    };
    let lead_team = match set.lead.as_deref() {
        Some(v) => Some(state.resolve_team(nonempty("--lead", v)?)?),
        None => None,
    };
    let change = CaseUpdate {
        lead_team,
        co_teams: teams("--co", &set.co)?,
        level: set
            .level
            .as_deref()
            .map(|v| nonempty("--level", v).map(parse_level))
            .transpose()?
            .transpose()?,
        stage: set
            .stage
            .as_deref()
            .map(|v| nonempty("--stage", v).map(parse_stage))
            .transpose()?
            .transpose()?,
        review_on: match set
            .review
            .as_deref()
            .map(|v| setting("--review", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(date_ahead(v, env)?)),
        },
        lead_person: match set
            .person
            .as_deref()
            .map(|v| setting("--person", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(v.to_string())),
        },
        consent_on: match set
            .consent
            .as_deref()
            .map(|v| setting("--consent", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(date(v, env)?)),
        },
        consent_third_party: teams("--consent-to", &set.consent_to)?,
        skip_stages: set.skip,
        student: set
            .student
            .as_deref()
            .map(|v| nonempty("--student", v).map(str::to_string))
            .transpose()?,
        birth_on: match set
            .birth
            .as_deref()
            .map(|v| setting("--birth", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(date(v, env)?)),
        },
        sex: match set
            .sex
            .as_deref()
            .map(|v| setting("--sex", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(parse_sex(v)?)),
        },
        school: set
            .school
            .as_deref()
            .map(|v| nonempty("--school", v).map(str::to_string))
            .transpose()?,
        grade: set
            .grade
            .as_deref()
            .map(|v| nonempty("--grade", v).map(parse_grade))
            .transpose()?
            .transpose()?,
        domains: None,
        concerns: None,
        summary: match set
            .summary
            .as_deref()
            .map(|v| setting("--summary", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(String::new()),
            Some(Setting::To(v)) => Some(v.to_string()),
        },
        background: match set
            .background
            .as_deref()
            .map(|v| setting("--background", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(Vec::new()),
            Some(Setting::To(v)) => Some(list_items(v)),
        },
        referral_source: match set
            .source
            .as_deref()
            .map(|v| setting("--source", v))
            .transpose()?
        {
            None => None,
            Some(Setting::Clear) => Some(None),
            Some(Setting::To(v)) => Some(Some(v.to_string())),
        },
        urgent: set
            .urgent
            .as_deref()
            .map(|v| yes_no("--urgent", v))
            .transpose()?,
        safety: set
            .safety
            .as_deref()
            .map(|v| yes_no("--safety", v))
            .transpose()?,
    };
    let mut change = change;
    if let Some(v) = set.domain.as_deref() {
        let (domains, concerns) = match setting("--domain", v)? {
            Setting::Clear => (Vec::new(), Vec::new()),
            Setting::To(v) => parse_domains(v)?,
        };
        change.domains = Some(domains);
        change.concerns = Some(concerns);
    }
    if change == CaseUpdate::default() {
        return Err(CliError::NothingToSet {
            options: "--lead, --co, --level, --stage, --review, --person, --school, --grade, --domain, --summary, --background, --urgent, --safety, --student, --birth, --sex, --source",
        });
    }
    let before = case.clone();
    // The change rests on the case as it was read (or as the script last saw it): if someone
    // changed it since, it is refused rather than written over.
    let expect = Expect {
        record: RecordRef::Case(number),
        rev: set.if_rev.clone().unwrap_or_else(|| case_rev(&before)),
    };
    b.apply(
        Command::UpdateCase {
            case: number,
            change,
            conference: None,
        },
        env.now,
        &[expect],
    )?;
    let view = b.view(&Scope::Case(number))?;
    let Some(after) = view.cases.get(&number) else {
        return Ok(());
    };
    let lang = env.lang;
    let mut changed = Vec::new();
    if before.lead_team != after.lead_team {
        changed.push(format!(
            "{} {} → {}",
            lang.pick("주관", "lead"),
            before.lead_team,
            after.lead_team
        ));
    }
    if before.co_teams != after.co_teams {
        let list = |v: &[TeamCode]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        changed.push(format!(
            "{} {} → {}",
            lang.pick("협력", "cooperating"),
            list(&before.co_teams),
            list(&after.co_teams)
        ));
    }
    if before.level != after.level {
        changed.push(format!(
            "{} {} → {}",
            lang.pick("위기", "level"),
            before.level.label(lang),
            after.level.label(lang)
        ));
    }
    if before.stage != after.stage {
        changed.push(format!(
            "{} {} → {}",
            lang.pick("단계", "stage"),
            before.stage.label(lang),
            after.stage.label(lang)
        ));
    }
    if before.review_on != after.review_on {
        let show = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        changed.push(format!(
            "{} {} → {}",
            lang.pick("점검일", "review"),
            show(before.review_on),
            show(after.review_on)
        ));
    }
    if before.consent != after.consent {
        let agencies: Vec<String> = after
            .consent
            .third_party
            .iter()
            .map(ToString::to_string)
            .collect();
        changed.push(format!(
            "{} {} ({})",
            lang.pick("동의", "consent"),
            after
                .consent
                .collection_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            if agencies.is_empty() {
                "-".to_string()
            } else {
                agencies.join(",")
            }
        ));
    }
    if before.lead_person != after.lead_person {
        changed.push(format!(
            "{} → {}",
            lang.pick("담당자", "person"),
            after.lead_person.clone().unwrap_or_else(|| "-".into())
        ));
    }
    if before.school != after.school {
        changed.push(format!(
            "{} {} → {}",
            lang.pick("학교", "school"),
            before.school,
            after.school
        ));
    }
    if before.grade != after.grade {
        changed.push(format!(
            "{} {} → {}",
            lang.pick("학년", "grade"),
            before.grade,
            after.grade
        ));
    }
    let details = [
        (
            before.domains != after.domains || before.concerns != after.concerns,
            lang.pick("영역", "domains"),
        ),
        (
            before.summary != after.summary,
            lang.pick("요약", "summary"),
        ),
        (
            before.background != after.background,
            lang.pick("배경", "background"),
        ),
        (before.urgent != after.urgent, lang.pick("긴급", "urgent")),
        (before.safety != after.safety, lang.pick("안전", "safety")),
        (
            before.student != after.student,
            lang.pick("학생", "student"),
        ),
        (
            before.referral_source != after.referral_source,
            lang.pick("의뢰처", "referral source"),
        ),
    ];
    let other: Vec<&str> = details
        .iter()
        .filter(|(changed, _)| *changed)
        .map(|(_, what)| *what)
        .collect();
    if !other.is_empty() {
        changed.push(format!(
            "{} {}",
            lang.pick("변경:", "changed:"),
            other.join(", ")
        ));
    }
    put(out, &format!("{number}: {}\n", changed.join("; ")))
}

pub(super) fn action(
    env: &Env,
    b: &mut dyn Backend,
    cmd: ActionCmd,
    out: Out,
) -> Result<(), CliError> {
    let today = env.today();
    match cmd {
        ActionCmd::Add {
            case,
            title,
            team,
            due,
            person,
            sessions,
            every,
            without_consent,
        } => {
            let (state, number) = case_view(b, &case)?;
            let team = state.resolve_team(&team)?;
            let mut due_on = date_ahead(&due, env)?;
            let command = match sessions {
                Some(count) => {
                    let day = match &every {
                        Some(text) => crate::domain::dates::parse_weekday(text)
                            .ok_or_else(|| CliError::BadWeekday { text: text.clone() })?,
                        None => chrono::Datelike::weekday(&due_on),
                    };
                    let days = crate::domain::dates::weekly(due_on, day, count);
                    due_on = days.first().copied().unwrap_or(due_on);
                    Command::AddRecurringAction {
                        case: number,
                        title,
                        team,
                        sessions: days,
                        person,
                        conference: None,
                        sharing: SharingCheck::from_reason(without_consent.as_deref()),
                    }
                }
                None => Command::AddAction {
                    case: number,
                    title,
                    team,
                    due_on,
                    person,
                    conference: None,
                    sharing: SharingCheck::from_reason(without_consent.as_deref()),
                },
            };
            let receipt = b.apply(command, env.now, &[])?;
            if let Outcome::Action { id } = receipt.outcome {
                if std::io::stderr().is_terminal() {
                    let _ = writeln!(
                        std::io::stderr(),
                        "{} {}",
                        env.lang.pick("기한", "due"),
                        // Read before the due date was: it cannot fail here.
                        env.calendar().map_or_else(
                            |_| output::day(due_on, env.lang),
                            |c| c.describe(due_on, env.lang)
                        )
                    );
                }
                put(out, &format!("{id}\n"))?;
            }
            Ok(())
        }
        ActionCmd::List {
            team,
            overdue,
            due_within,
            case,
            all,
            wide,
            json,
        } => {
            // The last due date `--due-within` lets through (no limit past the calendar's end).
            let within = due_within.map(|days| {
                today
                    .checked_add_days(chrono::Days::new(u64::from(days)))
                    .unwrap_or(NaiveDate::MAX)
            });
            let team = match team {
                Some(t) => Some(b.view(&Scope::Teams)?.resolve_team(&t)?),
                None => None,
            };
            let mut actions: Vec<Action> = if let Some(case) = case {
                let number = find_case(b, &case)?;
                b.case_actions(number)?
            } else if all {
                b.all_actions()?
            } else {
                // The department contact's everyday question: read through the due-date index.
                let mut last: Option<NaiveDate> = None;
                if overdue {
                    last = today.pred_opt();
                }
                if let Some(within) = within {
                    last = Some(last.map_or(within, |l| l.min(within)));
                }
                b.open_actions_due(last)?
            };
            actions.retain(|a| all || a.is_open());
            actions.retain(|a| !overdue || a.is_overdue(today));
            if let Some(within) = within {
                actions.retain(|a| a.is_open() && a.due_on <= within);
            }
            if let Some(team) = &team {
                actions.retain(|a| &a.team == team);
            }
            actions.sort_by_key(|a| (a.due_on, a.id));
            if json {
                let values: Vec<serde_json::Value> = actions
                    .iter()
                    .map(|a| output::action_json(a, today))
                    .collect();
                put_json(out, &serde_json::Value::Array(values))
            } else if actions.is_empty() {
                put(
                    out,
                    &super::out::nothing(
                        "조건에 맞는 조치가 없습니다",
                        "No action matches",
                        env.lang,
                    ),
                )
            } else {
                let refs: Vec<&Action> = actions.iter().collect();
                // The students of the cases listed, as this person may see them.
                let cases = b.view(&Scope::Cases(crate::backend::CaseFilter {
                    closed: true,
                    ..Default::default()
                }))?;
                let students = |n| cases.cases.get(&n).map(|c| c.student.name.clone());
                put(
                    out,
                    &output::action_table(
                        &refs,
                        Some(&students),
                        today,
                        env.lang,
                        super::out::table_width(wide),
                    ),
                )
            }
        }
        ActionCmd::Set {
            action,
            title,
            team,
            due,
            person,
            without_consent,
            if_rev,
        } => {
            let id = find_action(&action)?;
            let team = match team {
                Some(t) => Some(b.view(&Scope::Teams)?.resolve_team(&t)?),
                None => None,
            };
            let person = match person
                .as_deref()
                .map(|v| setting("--person", v))
                .transpose()?
            {
                None => None,
                Some(Setting::Clear) => Some(None),
                Some(Setting::To(v)) => Some(Some(v.to_string())),
            };
            let change = crate::domain::ActionUpdate {
                title,
                sharing: if team.is_some() {
                    SharingCheck::from_reason(without_consent.as_deref())
                } else {
                    SharingCheck::Unchecked
                },
                team,
                due_on: due
                    .as_deref()
                    .map(|d| date_ahead(nonempty("--due", d)?, env))
                    .transpose()?,
                person,
            };
            if change == crate::domain::ActionUpdate::default() {
                return Err(CliError::NothingToSet {
                    options: "--title, --team, --due, --person",
                });
            }
            // The change rests on the action as it was read (or as the script last saw it).
            let read = b.case_actions(id.case)?.into_iter().find(|a| a.id == id);
            let expect: Vec<Expect> = match (if_rev, &read) {
                (Some(rev), _) => vec![Expect {
                    record: RecordRef::Action(id),
                    rev,
                }],
                (None, Some(a)) if a.is_open() => vec![Expect {
                    record: RecordRef::Action(id),
                    rev: action_rev(a),
                }],
                _ => Vec::new(),
            };
            b.apply(
                Command::UpdateAction { action: id, change },
                env.now,
                &expect,
            )?;
            let changed = b.case_actions(id.case)?.into_iter().find(|a| a.id == id);
            match changed {
                Some(a) => put(
                    out,
                    &format!(
                        "{id}: {} · {} · {}\n",
                        a.title,
                        a.team,
                        output::day(a.due_on, env.lang)
                    ),
                ),
                None => Ok(()),
            }
        }
        ActionCmd::Done { action, note } => {
            let id = find_action(&action)?;
            b.apply(Command::CompleteAction { action: id, note }, env.now, &[])?;
            let title = echoed_title(b, id);
            put(
                out,
                &format!("{id} {}{title}\n", env.lang.pick("완료", "done")),
            )
        }
        ActionCmd::Session {
            action,
            session,
            mark,
        } => {
            let id = find_action(&action)?;
            let held = match crate::domain::vocab::fold(&mark).as_str() {
                "held" | "진행" | "출석" | "done" => true,
                "missed" | "결석" | "불참" => false,
                _ => return Err(CliError::BadSessionMark { text: mark }),
            };
            b.apply(
                Command::MarkSession {
                    action: id,
                    session,
                    held,
                },
                env.now,
                &[],
            )?;
            let word = if held {
                env.lang.pick("진행", "held")
            } else {
                env.lang.pick("결석", "missed")
            };
            put(out, &format!("{id} #{session} {word}\n"))
        }
        ActionCmd::Note { action, text } => {
            let id = find_action(&action)?;
            b.apply(Command::NoteAction { action: id, text }, env.now, &[])?;
            put(
                out,
                &format!("{id} {}\n", env.lang.pick("경과 기록", "progress noted")),
            )
        }
        ActionCmd::Referral {
            action,
            status,
            reason,
        } => {
            let id = find_action(&action)?;
            let status = crate::domain::vocab::ReferralStatus::parse(&status).ok_or_else(|| {
                CliError::from(crate::domain::DomainError::UnknownWord {
                    vocab: crate::domain::error::Vocab::ReferralStatus,
                    input: status.clone(),
                    valid: "accepted, in-progress, finished, declined, requested".into(),
                })
            })?;
            b.apply(
                Command::SetReferral {
                    action: id,
                    status,
                    reason,
                },
                env.now,
                &[],
            )?;
            put(out, &format!("{id} {}\n", status.label(env.lang)))
        }
        ActionCmd::Drop { action, reason } => {
            let id = find_action(&action)?;
            b.apply(Command::DropAction { action: id, reason }, env.now, &[])?;
            let title = echoed_title(b, id);
            put(
                out,
                &format!("{id} {}{title}\n", env.lang.pick("취소", "dropped")),
            )
        }
    }
}

/// ` · title` of an action just finished, so the person sees which one it was (the student's
/// name masked inside it); empty when it cannot be read back.
fn echoed_title(b: &mut dyn Backend, id: ActionId) -> String {
    let Ok(actions) = b.case_actions(id.case) else {
        return String::new();
    };
    let Some(action) = actions.into_iter().find(|a| a.id == id) else {
        return String::new();
    };
    let name = b
        .view(&Scope::Case(id.case))
        .ok()
        .and_then(|v| v.cases.get(&id.case).map(|c| c.student.name.clone()));
    let title = match name {
        Some(name) => crate::domain::masking::mask_in(&action.title, &name),
        None => action.title,
    };
    format!(" · {title}")
}

/// What a value given to `set` says.
/// The items of a comma-separated list, trimmed, empty ones left out.
fn list_items(value: &str) -> Vec<String> {
    value
        .split([',', '，'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads yes or no (`yes`/`예`/`on`, `no`/`아니오`/`off`).
fn yes_no(option: &'static str, value: &str) -> Result<bool, CliError> {
    match crate::domain::vocab::fold(nonempty(option, value)?).as_str() {
        "yes" | "y" | "on" | "true" | "예" | "네" => Ok(true),
        "no" | "n" | "off" | "false" | "아니오" | "아니요" => Ok(false),
        _ => Err(CliError::NotYesNo {
            option,
            value: value.trim().to_string(),
        }),
    }
}

enum Setting<'a> {
    /// `none` or `없음`: clear it.
    Clear,
    /// A value.
    To(&'a str),
}

/// Reads an option's value for `set`: only the documented word (`none`/`없음`) clears; an empty
/// value (a script's empty variable) is refused rather than taken as "clear".
fn setting<'a>(option: &'static str, value: &'a str) -> Result<Setting<'a>, CliError> {
    let value = nonempty(option, value)?;
    if matches!(crate::domain::vocab::fold(value).as_str(), "none" | "없음") {
        Ok(Setting::Clear)
    } else {
        Ok(Setting::To(value))
    }
}

/// Refuses an empty (or blank) option value.
fn nonempty<'a>(option: &'static str, value: &'a str) -> Result<&'a str, CliError> {
    if value.trim().is_empty() {
        return Err(CliError::EmptyValue { option });
    }
    Ok(value)
}

/// Reads an action id; whether it exists (or is finished already) the store decides.
fn find_action(input: &str) -> Result<ActionId, CliError> {
    input.parse().map_err(|_| {
        DomainError::UnknownAction {
            input: input.trim().to_string(),
        }
        .into()
    })
}

pub(super) fn team(env: &Env, b: &mut dyn Backend, cmd: TeamCmd, out: Out) -> Result<(), CliError> {
    match cmd {
        TeamCmd::List { json } => {
            let teams: Vec<Team> = b.view(&Scope::Teams)?.teams.into_values().collect();
            if json {
                put_json(
                    out,
                    &serde_json::Value::Array(teams.iter().map(output::team_json).collect()),
                )
            } else {
                put(out, &output::team_table(&teams, env.lang))
            }
        }
        TeamCmd::Add {
            code,
            name,
            name_en,
            external,
        } => {
            let Some(team_code) = TeamCode::new(&code) else {
                return Err(DomainError::BadTeamCode { input: code }.into());
            };
            let team = Team {
                code: team_code.clone(),
                name_ko: name,
                name_en: name_en.unwrap_or_default(),
                kind: if external {
                    TeamKind::External
                } else {
                    TeamKind::Internal
                },
                contact: None,
            };
            b.apply(Command::AddTeam { team }, env.now, &[])?;
            put(out, &format!("{team_code}\n"))
        }
    }
}

/// `note add`: a note on a case.
pub(super) fn note(env: &Env, b: &mut dyn Backend, cmd: NoteCmd, out: Out) -> Result<(), CliError> {
    let NoteCmd::Add {
        case,
        text,
        restricted,
    } = cmd;
    let number = find_case(b, &case)?;
    let receipt = b.apply(
        Command::AddNote {
            case: number,
            kind: NoteKind::Note,
            text,
            restricted,
        },
        env.now,
        &[],
    )?;
    if let Outcome::Note { case, n } = receipt.outcome {
        put(out, &format!("{case} #{n}\n"))?;
    }
    Ok(())
}

/// `casedesk undo`: shows the person's own last change, asks (unless `--yes`), and takes it back.
pub(super) fn undo(env: &Env, b: &mut dyn Backend, yes: bool, out: Out) -> Result<(), CliError> {
    let ko = env.lang == crate::i18n::Lang::Ko;
    let Some(change) = b.last_own_change()? else {
        return Err(DomainError::NothingToUndo.into());
    };
    let Some(undo) = change.undo.clone() else {
        return Err(CliError::CannotUndo {
            kind: change.kind,
            seq: change.seq,
        });
    };
    let when = change
        .at
        .with_timezone(&crate::domain::dates::KOREA)
        .format("%Y-%m-%d %H:%M");
    let records = if change.records.is_empty() {
        String::new()
    } else {
        format!(" · {}", change.records.join(", "))
    };
    let what = format!("#{} {when} {}{records}", change.seq, change.kind);
    if !yes {
        let question = if ko {
            format!("되돌릴 변경: {what}\n되돌릴까요? (y/N) ")
        } else {
            format!("The change to undo: {what}\nUndo it? (y/N) ")
        };
        match confirm(&question)? {
            None => return Err(CliError::UndoNeedsYes),
            Some(false) => return Err(CliError::UndoDeclined),
            Some(true) => {}
        }
    }
    b.apply(undo, env.now, &[])?;
    put(
        out,
        &format!("{} {what}\n", env.lang.pick("되돌렸습니다:", "undone:")),
    )
}

/// Asks `question` (y/N) on the terminal: `None` when there is no terminal to ask on.
fn confirm(question: &str) -> Result<Option<bool>, CliError> {
    let stdin = std::io::stdin();
    if !std::io::IsTerminal::is_terminal(&stdin) {
        return Ok(None);
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{question}");
    let _ = err.flush();
    let mut answer = String::new();
    stdin
        .read_line(&mut answer)
        .map_err(|e| CliError::Output(e.to_string()))?;
    let answer = crate::domain::vocab::fold(answer.trim());
    Ok(Some(matches!(
        answer.as_str(),
        "y" | "yes" | "예" | "네" | "ㅛ"
    )))
}

/// `casedesk case merge KEEP OTHER`: shows both cases and what moves, asks (unless `--yes`),
/// merges, and says where each action went.
fn case_merge(
    b: &mut dyn Backend,
    env: &Env,
    keep: &str,
    other: &str,
    yes: bool,
    out: Out,
) -> Result<(), CliError> {
    let lang = env.lang;
    let (keep_view, keep) = case_view(b, keep)?;
    let (other_view, other) = case_view(b, other)?;
    let describe = |view: &State, number: CaseNumber| -> String {
        match view.cases.get(&number) {
            Some(c) => format!(
                "{number} {} · {} {} · {}",
                view.student_label(number, true),
                c.school,
                c.grade,
                c.stage.label(lang)
            ),
            None => number.to_string(),
        }
    };
    let actions = b.case_actions(other)?.len();
    let notes = b.notes_of(other)?.len();
    let items = other_view
        .conferences
        .values()
        .filter(|c| c.item(other).is_some())
        .count();
    let (kept, merged) = (describe(&keep_view, keep), describe(&other_view, other));
    if !yes {
        let question = match lang {
            crate::i18n::Lang::Ko => format!(
                "남길 사례: {kept}\n병합할 사례: {merged}\n{other}의 조치 {actions}건, 기록 {notes}건, 사례회의 안건 {items}건이 {keep}(으)로 옮겨지고, {other}은(는) {keep}을(를) 가리키는 기록으로 남습니다 (되돌리기: casedesk undo)\n병합할까요? (y/N) "
            ),
            crate::i18n::Lang::En => format!(
                "Keep:  {kept}\nMerge: {merged}\n{other}'s {actions} action(s), {notes} note(s) and {items} agenda item(s) move to {keep}, and {other} stays as a pointer to it (casedesk undo takes it back)\nMerge? (y/N) "
            ),
        };
        match confirm(&question)? {
            None => return Err(CliError::MergeNeedsYes),
            Some(false) => return Err(CliError::MergeDeclined),
            Some(true) => {}
        }
    }
    let receipt = b.apply(Command::MergeCases { keep, other }, env.now, &[])?;
    let moved = match receipt.outcome {
        Outcome::Merged { moved } => moved,
        _ => Vec::new(),
    };
    let mut text = match lang {
        crate::i18n::Lang::Ko => format!("병합했습니다: {other} → {keep}\n"),
        crate::i18n::Lang::En => format!("merged: {other} → {keep}\n"),
    };
    for (from, to) in &moved {
        text.push_str(&format!("  {from} → {to}\n"));
    }
    put(out, &text)
}
