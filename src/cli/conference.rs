//! `casedesk conference …`: prepare a conference with its proposed agenda, list and show
//! conferences, write minutes (Markdown, HTML, per-team CSV), and amend a closed one.

use std::collections::BTreeMap;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::args::{AttendRoleArg, ConferenceCmd, KindArg, MinutesFormat, StatusArg};
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put, put_json};
use crate::backend::{Backend, Scope};
use crate::cells::table;
use crate::domain::model::{Attendee, AttendeeRole, ItemChange, NextMeeting, Presence};
use crate::domain::recap::outcome;
use crate::domain::vocab::ConferenceKind;
use crate::domain::vocab::TeamKind;
use crate::domain::{Action, ActionId, Command, Conference, Outcome, State};
use crate::domain::{ConferenceUpdate, DomainError, Team, TeamCode};
use crate::i18n::{Lang, day};
use crate::transfer::PrivateFile;
use crate::transfer::minutes::Source;

pub(super) fn run(
    env: &Env,
    b: &mut dyn Backend,
    cmd: ConferenceCmd,
    out: Out,
) -> Result<(), CliError> {
    match cmd {
        ConferenceCmd::New {
            date,
            title,
            kind,
            facilitator,
            length,
            place,
            time,
        } => {
            let date = match date {
                Some(d) => {
                    let calendar = env.calendar()?;
                    let date = calendar.parse_date_ahead(&d, env.today())?;
                    if calendar.rolls_to_next_year(&d, env.today()) {
                        super::records::next_year_note(&d, date, env.lang);
                    }
                    date
                }
                None => env.today(),
            };
            let kind = match kind {
                KindArg::Regular => ConferenceKind::Regular,
                KindArg::Adhoc => ConferenceKind::Adhoc,
                KindArg::Urgent => ConferenceKind::Urgent,
            };
            let facilitator = facilitator.unwrap_or_else(|| b.access().account.clone());
            // The store proposes the agenda where every record is at hand.
            let mut conference = b.propose(date, kind, title, facilitator, env.lang, length)?;
            conference.place = place;
            conference.time = time;
            // Referrals waiting past the office's days for an answer: counted with the
            // office's own calendar and settings, which live with this account's configuration.
            let rule = env.referral_rule()?;
            let calendar = env.calendar()?;
            let view = b.view(&Scope::All)?;
            let before = conference.agenda.len();
            view.add_unanswered_referrals_within(
                &mut conference.agenda,
                date,
                &rule,
                &calendar,
                conference.length_minutes,
            );
            if conference.agenda.len() != before {
                conference.attendees = view.expected_attendees(&conference.agenda);
            }
            let receipt = b.apply(Command::CreateConference { conference }, env.now, &[])?;
            match receipt.outcome {
                Outcome::Conference { id } => put(out, &format!("{id}\n")),
                _ => Ok(()),
            }
        }
        ConferenceCmd::Set {
            id,
            place,
            time,
            length,
            next,
            next_time,
        } => {
            let next = match next {
                Some(d) => Some(NextMeeting {
                    date: env.calendar()?.parse_date_ahead(&d, env.today())?,
                    time: next_time,
                }),
                None => None,
            };
            let change = ConferenceUpdate {
                place,
                time,
                length_minutes: length,
                next,
                ..ConferenceUpdate::default()
            };
            if change == ConferenceUpdate::default() {
                return Err(CliError::NothingToSet {
                    options: "--place, --time, --length, --next",
                });
            }
            b.apply(
                Command::UpdateConference {
                    conference: id,
                    change,
                },
                env.now,
                &[],
            )?;
            let view = b.view(&Scope::Conferences)?;
            put(out, &detail_head(view.conference(id)?, env.lang))
        }
        ConferenceCmd::Attend {
            id,
            role,
            team,
            new_agency,
            code,
            person,
            status,
        } => {
            let role = role_of(role);
            let status = match status {
                StatusArg::Present => Presence::Present,
                StatusArg::Late => Presence::Late,
                StatusArg::LeftEarly => Presence::LeftEarly,
                StatusArg::Absent => Presence::Absent,
            };
            let (team, new_team) = match (team, new_agency, code) {
                (Some(t), _, _) => (Some(b.view(&Scope::Teams)?.resolve_team(&t)?), None),
                (None, Some(name), Some(code)) => {
                    let code = TeamCode::new(&code).ok_or_else(|| DomainError::BadTeamCode {
                        input: code.trim().to_string(),
                    })?;
                    let name = name.trim().to_string();
                    let team = Team {
                        code: code.clone(),
                        name_ko: name.clone(),
                        name_en: name,
                        kind: TeamKind::External,
                        contact: None,
                    };
                    (Some(code), Some(team))
                }
                _ => (None, None),
            };
            let attendee = Attendee {
                team,
                person,
                role,
                status,
            };
            b.apply(
                Command::AddAttendee {
                    conference: id,
                    attendee: attendee.clone(),
                    new_team,
                },
                env.now,
                &[],
            )?;
            let view = b.view(&Scope::Conferences)?;
            let count = view.conference(id)?.attendees.len();
            put(
                out,
                &match env.lang {
                    Lang::Ko => format!(
                        "사례회의 {id}번 참석자: [{}] {} (모두 {count}명)\n",
                        attendee.status.label(env.lang),
                        view.attendee_label(&attendee, env.lang)
                    ),
                    Lang::En => format!(
                        "conference {id} attendance: [{}] {} ({count} in all)\n",
                        attendee.status.label(env.lang),
                        view.attendee_label(&attendee, env.lang)
                    ),
                },
            )
        }
        ConferenceCmd::List { json } => {
            let view = b.view(&Scope::Conferences)?;
            let state = &view;
            let mut list: Vec<&Conference> = state.conferences.values().collect();
            list.sort_by_key(|c| std::cmp::Reverse((c.date, c.id)));
            if json {
                let values = list.iter().map(|c| summary_json(c)).collect();
                put_json(out, &Value::Array(values))
            } else {
                put(out, &list_table(&list, env.lang))
            }
        }
        ConferenceCmd::Show { id, unmasked, json } => {
            if unmasked {
                b.access().may_unmask()?;
            }
            let view = b.view(&Scope::Conferences)?;
            let actions = agreed_actions(b, &view, id)?;
            let state = &view;
            let conf = state.conference(id)?;
            if json {
                put_json(out, &detail_json(state, conf, &actions, unmasked))
            } else {
                put(out, &detail(state, conf, &actions, unmasked, env.lang))
            }
        }
        ConferenceCmd::Minutes {
            id,
            format,
            out: path,
            unmasked,
        } => {
            if unmasked {
                b.access().may_unmask()?;
            }
            let view = b.view(&Scope::Conferences)?;
            let actions = agreed_actions(b, &view, id)?;
            if unmasked {
                // Recorded before the names leave casedesk: the trail never misses it.
                let to = path
                    .as_ref()
                    .map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
                let items = view.conference(id)?.agenda.len();
                b.apply(
                    Command::RecordExport {
                        what: format!("minutes #{id}"),
                        format: match format {
                            MinutesFormat::Md => "md",
                            MinutesFormat::Html => "html",
                            MinutesFormat::Csv => "csv",
                        }
                        .into(),
                        rows: items,
                        to,
                    },
                    env.now,
                    &[],
                )?;
            }
            let anchor = Some(b.head()?);
            let state = &view;
            let source = Source {
                state,
                conference: state.conference(id)?,
                actions: &actions,
                lang: env.lang,
                unmasked,
                anchor,
            };
            match format {
                MinutesFormat::Md | MinutesFormat::Html => {
                    let text = if format == MinutesFormat::Md {
                        source.markdown()
                    } else {
                        source.html()
                    };
                    match path {
                        Some(path) => {
                            write_private(&path, text.as_bytes())?;
                            put(out, &format!("{}\n", path.display()))
                        }
                        None => put(out, &text),
                    }
                }
                MinutesFormat::Csv => {
                    let files = source
                        .team_csvs()
                        .map_err(|e| CliError::Output(e.to_string()))?;
                    if files.is_empty() {
                        return put(
                            out,
                            env.lang.pick(
                                "이 회의에서 정한 조치가 없어 만든 파일이 없습니다\n",
                                "no actions were agreed at this conference: no files written\n",
                            ),
                        );
                    }
                    let dir = path.unwrap_or_else(|| PathBuf::from("."));
                    std::fs::DirBuilder::new()
                        .recursive(true)
                        .mode(0o700)
                        .create(&dir)
                        .map_err(|e| CliError::WriteFile {
                            path: dir.clone(),
                            reason: e.to_string(),
                        })?;
                    let mut written = String::new();
                    for (team, bytes) in files {
                        let file = dir.join(format!("conference-{id}-{team}.csv"));
                        write_private(&file, &bytes)?;
                        written.push_str(&format!("{}\n", file.display()));
                    }
                    put(out, &written)
                }
            }
        }
        ConferenceCmd::Amend { id, text, case } => {
            let case = match case {
                Some(c) => Some(super::records::find_case(b, &c)?),
                None => None,
            };
            b.apply(
                Command::AmendConference {
                    conference: id,
                    case,
                    text,
                },
                env.now,
                &[],
            )?;
            let count = b
                .view(&Scope::Conferences)?
                .conference(id)?
                .amendments
                .len();
            put(
                out,
                &match env.lang {
                    Lang::Ko => format!("사례회의 {id}번에 정정 기록을 덧붙였습니다 ({count}건)\n"),
                    Lang::En => format!("added a correction to conference {id} ({count} in all)\n"),
                },
            )
        }
        // Runs the screens: handled before a command connects.
        ConferenceCmd::Follow { .. } => Ok(()),
    }
}

/// Follows the running conference (or conference `id`) in a read-only view.
pub(super) fn follow(env: &Env, id: Option<u32>) -> Result<(), CliError> {
    let backend = super::connect::connect(env, super::connect::Session::Follower)?;
    super::screens::follow_screens(backend, env, id)
}

/// Every action of the cases on the conference's agenda, finished ones too (read from the
/// store): the ones it agreed, and what came of the others since each case was last discussed.
fn agreed_actions(
    b: &mut dyn Backend,
    view: &State,
    id: u32,
) -> Result<BTreeMap<ActionId, Action>, CliError> {
    let conf = view.conference(id)?.clone();
    let mut found = BTreeMap::new();
    for item in &conf.agenda {
        for action in b.case_actions(item.case)? {
            found.insert(action.id, action);
        }
    }
    Ok(found)
}

/// Writes `bytes` to `path`, owner-only, replacing it in one rename so that a reader never
/// sees half a file.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let mut file = PrivateFile::create(path, true)?;
    file.write(bytes)?;
    Ok(file.finish()?)
}

fn summary_json(c: &Conference) -> Value {
    json!({
        "id": c.id,
        "date": c.date,
        "kind": c.kind.code(),
        "title": c.title,
        "state": c.state,
        "facilitator": c.facilitator,
        "items": c.agenda.len(),
        "length_minutes": c.length_minutes,
        "place": c.place,
        "time": c.time,
        "next": c.next,
        "started_at": c.started_at,
        "closed_at": c.closed_at,
    })
}

fn list_table(list: &[&Conference], lang: Lang) -> String {
    if list.is_empty() {
        return lang
            .pick(
                "사례회의가 없습니다: `casedesk conference new`로 준비하세요\n",
                "no conferences yet: prepare one with `casedesk conference new`\n",
            )
            .to_string();
    }
    let header = match lang {
        Lang::Ko => ["번호", "날짜", "종류", "제목", "상태", "안건", "진행"],
        Lang::En => [
            "id",
            "date",
            "kind",
            "title",
            "state",
            "items",
            "facilitator",
        ],
    };
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                day(c.date, lang),
                c.kind.label(lang).to_string(),
                c.title.clone(),
                c.state.label(lang).to_string(),
                c.agenda.len().to_string(),
                c.facilitator.clone(),
            ]
        })
        .collect();
    table(&header, &rows, 40)
}

fn change_json(change: &ItemChange) -> Value {
    serde_json::to_value(change).unwrap_or(Value::Null)
}

fn detail_json(
    state: &State,
    c: &Conference,
    actions: &BTreeMap<ActionId, Action>,
    unmasked: bool,
) -> Value {
    let end = c.closed_at.unwrap_or(c.touched_at);
    let agenda: Vec<Value> = c
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            json!({
                "case": item.case.to_string(),
                "student": state.student_label(item.case, !unmasked),
                "reasons": item.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(),
                "budget_minutes": item.budget_minutes,
                "used_seconds": c.used_seconds(i, end),
                "decisions": item
                    .decisions
                    .iter()
                    .map(|d| state.case_text(Some(item.case), d, !unmasked))
                    .collect::<Vec<_>>(),
                "actions": item.actions.iter().map(|id| match actions.get(id) {
                    Some(a) => json!({
                        "id": a.id.to_string(),
                        "title": state.case_text(Some(item.case), &a.title, !unmasked),
                        "team": a.team.as_str(),
                        "person": a.person,
                        "due_on": a.due_on,
                        "status": a.status.code(),
                    }),
                    None => json!({ "id": id.to_string() }),
                }).collect::<Vec<_>>(),
                "changes": item.changes.iter().map(change_json).collect::<Vec<_>>(),
                "deferred": item.deferred,
                "current": c.current_item().is_some_and(|cur| cur.case == item.case),
            })
        })
        .collect();
    let mut value = summary_json(c);
    if let Value::Object(map) = &mut value {
        map.insert(
            "attendees".into(),
            json!(
                c.attendees
                    .iter()
                    .map(|a| json!({
                        "team": a.team.as_ref().map(|t| t.as_str()),
                        "person": a.person,
                        "role": a.role.code(),
                        "status": a.status.code(),
                        "present": a.present(),
                    }))
                    .collect::<Vec<_>>()
            ),
        );
        map.insert("agenda".into(), Value::Array(agenda));
        map.insert(
            "amendments".into(),
            json!(
                c.amendments
                    .iter()
                    .map(|a| json!({
                        "at": a.at,
                        "by": a.by,
                        "case": a.case.map(|n| n.to_string()),
                        "text": state.case_text(a.case, &a.text, !unmasked),
                    }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    value
}

fn detail(
    state: &State,
    c: &Conference,
    actions: &BTreeMap<ActionId, Action>,
    unmasked: bool,
    lang: Lang,
) -> String {
    let mut out = format!(
        "#{} {} · {} · {} · {}\n{}: {}\n{}\n",
        c.id,
        c.title,
        c.kind.label(lang),
        day(c.date, lang),
        c.state.label(lang),
        lang.pick("진행", "Facilitator"),
        c.facilitator,
        detail_head(c, lang)
    );
    let end = c.closed_at.unwrap_or(c.touched_at);
    let header = match lang {
        Lang::Ko => ["#", "사례", "학생", "안건 사유", "시간/배정", "결과"],
        Lang::En => ["#", "case", "student", "why", "min/budget", "outcome"],
    };
    let rows: Vec<Vec<String>> = c
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let marker = if c.current_item().is_some_and(|cur| cur.case == item.case) {
                "▶"
            } else {
                ""
            };
            vec![
                format!("{marker}{}", i + 1),
                item.case.to_string(),
                state.student_label(item.case, !unmasked),
                item.reasons_label(lang),
                format!(
                    "{}/{}",
                    c.used_seconds(i, end).div_ceil(60),
                    item.budget_minutes
                ),
                outcome(item, lang),
            ]
        })
        .collect();
    out.push_str(lang.pick("안건\n", "Agenda\n"));
    if rows.is_empty() {
        out.push_str(lang.pick("  (없음)\n", "  (none)\n"));
    } else {
        out.push_str(&table(&header, &rows, 40));
    }
    out.push_str(lang.pick("\n참석\n", "\nAttendance\n"));
    if c.attendees.is_empty() {
        out.push_str(lang.pick("  (없음)\n", "  (none)\n"));
    }
    let mut by_role: Vec<_> = c.attendees.iter().collect();
    by_role.sort_by_key(|a| a.role);
    for a in by_role {
        out.push_str(&format!(
            "  [{}] {}\n",
            a.status.label(lang),
            state.attendee_label(a, lang)
        ));
    }
    let mut outcomes = String::new();
    for item in c.agenda.iter().filter(|i| i.touched()) {
        outcomes.push_str(&format!("\n{}\n", item.case));
        for d in item
            .decisions
            .iter()
            .map(|d| state.case_text(Some(item.case), d, !unmasked))
        {
            outcomes.push_str(&format!("  {} {d}\n", lang.pick("결정:", "decision:")));
        }
        for id in &item.actions {
            match actions.get(id) {
                Some(a) => outcomes.push_str(&format!(
                    "  {} {} {} · {} · {}\n",
                    lang.pick("조치:", "action:"),
                    a.id,
                    state.case_text(Some(item.case), &a.title, !unmasked),
                    a.team,
                    day(a.due_on, lang)
                )),
                None => outcomes.push_str(&format!("  {} {id}\n", lang.pick("조치:", "action:"))),
            }
        }
        for ch in &item.changes {
            outcomes.push_str(&format!("  {}\n", ch.describe(lang)));
        }
        if item.deferred {
            outcomes.push_str(lang.pick(
                "  보류: 다음 회의로\n",
                "  deferred to the next conference\n",
            ));
        }
    }
    if !outcomes.is_empty() {
        out.push_str(lang.pick("\n결과", "\nOutcomes"));
        out.push_str(&outcomes);
    }
    if !c.amendments.is_empty() {
        out.push_str(lang.pick("\n정정 기록\n", "\nAmendments\n"));
        for a in &c.amendments {
            let about = a.case.map(|n| format!("[{n}] ")).unwrap_or_default();
            out.push_str(&format!(
                "  {} {} {about}{}\n",
                a.at.format("%Y-%m-%d %H:%M"),
                a.by,
                state.case_text(a.case, &a.text, !unmasked)
            ));
        }
    }
    out
}

fn role_of(role: AttendRoleArg) -> AttendeeRole {
    match role {
        AttendRoleArg::Team => AttendeeRole::Team,
        AttendRoleArg::Homeroom => AttendeeRole::Homeroom,
        AttendRoleArg::Principal => AttendeeRole::Principal,
        AttendRoleArg::VicePrincipal => AttendeeRole::VicePrincipal,
        AttendRoleArg::Counselor => AttendeeRole::Counselor,
        AttendRoleArg::SchoolNurse => AttendeeRole::SchoolNurse,
        AttendRoleArg::WelfareWorker => AttendeeRole::WelfareWorker,
        AttendRoleArg::SchoolStaff => AttendeeRole::SchoolStaff,
        AttendRoleArg::Guardian => AttendeeRole::Guardian,
        AttendRoleArg::Student => AttendeeRole::Student,
        AttendRoleArg::Interpreter => AttendeeRole::Interpreter,
        AttendRoleArg::Other => AttendeeRole::Other,
    }
}

/// A conference's place, time, length and next conference, one line each.
fn detail_head(c: &Conference, lang: Lang) -> String {
    let hhmm = |t: Option<chrono::NaiveTime>| {
        t.map_or_else(|| "-".to_string(), |t| t.format("%H:%M").to_string())
    };
    let next = c.next.map_or_else(
        || "-".to_string(),
        |n| match n.time {
            Some(t) => format!("{} {}", day(n.date, lang), t.format("%H:%M")),
            None => day(n.date, lang),
        },
    );
    match lang {
        Lang::Ko => format!(
            "일시: {} {}\n장소: {}\n회의 시간: {}분 (안건 배정 {}분)\n다음 회의: {next}\n",
            day(c.date, lang),
            hhmm(c.time),
            c.place.as_deref().unwrap_or("-"),
            c.length_minutes,
            c.budget_minutes()
        ),
        Lang::En => format!(
            "When: {} {}\nPlace: {}\nLength: {} min (agenda {} min)\nNext conference: {next}\n",
            day(c.date, lang),
            hhmm(c.time),
            c.place.as_deref().unwrap_or("-"),
            c.length_minutes,
            c.budget_minutes()
        ),
    }
}
