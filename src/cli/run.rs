//! Runs one parsed command against the store and writes its result.

use std::io::{IsTerminal, Write};

use chrono::NaiveDate;

use super::args::{ActionCmd, CaseAdd, CaseCmd, CaseList, CaseSet, Cli, Cmd, NoteCmd, TeamCmd};
use super::connect::{Session, connect};
use super::env::Env;
use super::error::CliError;
use super::output;
use crate::backend::{Backend, CaseFilter, Scope};
use crate::domain::dates::parse_date;
use crate::domain::model::{Student, Team, default_teams};
use crate::domain::revision::{Expect, RecordRef, action_rev, case_rev};
use crate::domain::state::{parse_domains, parse_grade, parse_level, parse_sex, parse_stage};
use crate::domain::vocab::{NoteKind, TeamKind};
use crate::domain::{
    Action, ActionId, CaseNumber, CaseUpdate, Command, DomainError, NewCase, Outcome, State,
    TeamCode,
};
use crate::i18n::{Lang, Localize};
use crate::store::{Store, check};

/// The most cases `demo` makes (a stress test of a large office is 100,000).
const MAX_DEMO_CASES: usize = 200_000;

/// Cases a `--demo` store gets.
const DEMO_CASES: usize = 300;

pub(super) type Out<'a> = &'a mut dyn Write;

pub(super) fn put(out: Out, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::Output(e.to_string()))
}

pub(super) fn put_json(out: Out, value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    put(out, &format!("{text}\n"))
}

pub(super) fn run(cli: Cli, env: &Env, out: Out) -> Result<(), CliError> {
    if cli.demo {
        return demo_temp(env, out);
    }
    let Some(command) = cli.command else {
        let screens_here = on_terminal();
        let kind = if screens_here {
            Session::Screens
        } else {
            Session::Command("overview")
        };
        let mut backend = connect(env, kind)?;
        if screens_here {
            return screens(backend, env);
        }
        let text = overview(backend.snapshot()?, env.today(), env.lang);
        return put(out, &text);
    };
    match command {
        Cmd::Keys => put(out, &keymap(env.lang)?.describe(env.lang)),
        Cmd::Holidays { year, json } => super::holidays::run(env, year, json, out),
        Cmd::Init { office } => init(env, office, out),
        Cmd::Demo { cases, seed } => demo(env, cases, seed, out),
        Cmd::Restore { file } => super::data::restore(env, &file, out),
        Cmd::Serve(args) => super::serve::serve(env, args, out),
        Cmd::Conference(crate::cli::args::ConferenceCmd::Follow { id }) => {
            super::conference::follow(env, id)
        }
        Cmd::Check {
            rebuild,
            discard_newer,
            anchor,
        } => check_store(env, rebuild, discard_newer, anchor.as_deref(), out),
        // In this process, a backup reads the journal without the store's lock: it works while
        // another casedesk has the store open.
        Cmd::Backup { file } if env.no_server => super::data::backup_journal(env, &file, out),
        command => {
            let mut backend = connect(env, Session::Command(command_name(&command)))?;
            let b = backend.as_mut();
            match command {
                Cmd::Case(cmd) => case(env, b, cmd, out),
                Cmd::Action(cmd) => action(env, b, cmd, out),
                Cmd::Note(NoteCmd::Add {
                    case,
                    text,
                    restricted,
                }) => {
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
                Cmd::Team(cmd) => team(env, b, cmd, out),
                Cmd::Conference(cmd) => super::conference::run(env, b, cmd, out),
                Cmd::Import(args) => super::data::import(env, b, args, out),
                Cmd::Backup { file } => super::data::backup(env, b, &file, out),
                Cmd::Export(args) => super::data::export(env, b, args, out),
                Cmd::Report { month, format } => super::data::report(env, b, &month, format, out),
                Cmd::User(cmd) => super::users::user(env, b, cmd, out),
                Cmd::Who { json } => super::users::who(env, b, json, out),
                // Handled above, without a connection.
                Cmd::Keys
                | Cmd::Holidays { .. }
                | Cmd::Init { .. }
                | Cmd::Demo { .. }
                | Cmd::Restore { .. }
                | Cmd::Serve(_)
                | Cmd::Check { .. } => Ok(()),
            }
        }
    }
}

/// The command's name as `casedesk who` lists it.
fn command_name(command: &Cmd) -> &'static str {
    match command {
        Cmd::Case(CaseCmd::Add(_)) => "case add",
        Cmd::Case(CaseCmd::List(_)) => "case list",
        Cmd::Case(CaseCmd::Show { .. }) => "case show",
        Cmd::Case(CaseCmd::Set(_)) => "case set",
        Cmd::Case(CaseCmd::Close { .. }) => "case close",
        Cmd::Case(CaseCmd::Reopen { .. }) => "case reopen",
        Cmd::Action(ActionCmd::Add { .. }) => "action add",
        Cmd::Action(ActionCmd::List { .. }) => "action list",
        Cmd::Action(ActionCmd::Set { .. }) => "action set",
        Cmd::Action(ActionCmd::Done { .. }) => "action done",
        Cmd::Action(ActionCmd::Drop { .. }) => "action drop",
        Cmd::Note(_) => "note add",
        Cmd::Team(_) => "team",
        Cmd::Conference(_) => "conference",
        Cmd::Import(_) => "import",
        Cmd::Backup { .. } => "backup",
        Cmd::Export(_) => "export",
        Cmd::Report { .. } => "report",
        Cmd::User(_) => "user",
        Cmd::Who { .. } => "who",
        Cmd::Check { .. } => "check",
        Cmd::Demo { .. } => "demo",
        Cmd::Init { .. } => "init",
        Cmd::Keys => "keys",
        Cmd::Holidays { .. } => "holidays",
        Cmd::Restore { .. } => "restore",
        Cmd::Serve(_) => "serve",
    }
}

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

fn init(env: &Env, office: Option<String>, out: Out) -> Result<(), CliError> {
    let office =
        office.unwrap_or_else(|| env.lang.pick("교육지원청", "District office").to_string());
    if crate::domain::input::clean(&office, false).is_empty() {
        return Err(DomainError::Empty {
            field: crate::domain::error::Field::Office,
        }
        .into());
    }
    let teams = default_teams();
    let count = teams.len();
    let store = new_store(&env.dir, |store| {
        store.execute(
            Command::InitStore {
                office,
                teams,
                demo: false,
            },
            &env.ctx(),
        )?;
        Ok(())
    })?;
    // Say the name as it was stored (normalised, without control characters).
    let office = store.office()?.map(|o| o.name).unwrap_or_default();
    let text = match env.lang {
        Lang::Ko => format!(
            "{}에 '{office}' 저장소를 만들었습니다 (부서/기관 {count}곳)\n",
            env.dir.display()
        ),
        Lang::En => format!(
            "created the store for '{office}' at {} ({count} teams)\n",
            env.dir.display()
        ),
    };
    put(out, &text)
}

/// Opens the store in `dir`, creating it if there is none, and runs `fill` on it; when the
/// store was created here and `fill` (or the creation) fails, nothing of it is left behind.
fn new_store(
    dir: &std::path::Path,
    fill: impl FnOnce(&mut Store) -> Result<(), CliError>,
) -> Result<Store, CliError> {
    let existed = dir.exists();
    let fresh = !dir.join(crate::store::JOURNAL_FILE).exists();
    let result = Store::open_or_create(dir)
        .map_err(CliError::from)
        .and_then(|mut store| fill(&mut store).map(|()| store));
    if result.is_err() && fresh {
        crate::store::discard_new(dir, !existed);
    }
    result
}

fn fill_demo(
    store: &mut Store,
    env: &Env,
    cases: usize,
    seed: u64,
) -> Result<(usize, usize), CliError> {
    let state = store.state()?;
    // Synthetic data never goes into a real office's store: only a new one or a demo store.
    let real_office = state.office.as_ref().is_some_and(|o| !o.demo);
    if !state.cases.is_empty() || real_office {
        return Err(DomainError::DemoNeedsEmpty {
            cases: state.cases.len(),
        }
        .into());
    }
    let commands = crate::transfer::demo::generate(state, cases, seed, env.now);
    store.execute_all(commands)?;
    let state = store.state()?;
    Ok((state.cases.len(), state.actions.len()))
}

fn demo(env: &Env, cases: usize, seed: u64, out: Out) -> Result<(), CliError> {
    if cases == 0 || cases > MAX_DEMO_CASES {
        return Err(CliError::DemoSize { cases });
    }
    let (cases, actions) = if env.dir.join(crate::store::JOURNAL_FILE).exists() {
        let mut backend = connect(env, Session::Command("demo"))?;
        backend.demo(cases, seed, env.now)?
    } else {
        // A new store: nobody else can be using it yet. A failed fill leaves nothing behind.
        let mut counts = (0, 0);
        let store = new_store(&env.dir, |store| {
            counts = fill_demo(store, env, cases, seed)?;
            Ok(())
        })?;
        drop(store);
        counts
    };
    let text = match env.lang {
        Lang::Ko => format!(
            "{}에 데모 사례 {cases}건, 조치사항 {actions}건을 만들었습니다 (모두 가상 데이터)\n",
            env.dir.display()
        ),
        Lang::En => format!(
            "made {cases} demo cases and {actions} actions at {} (all synthetic)\n",
            env.dir.display()
        ),
    };
    put(out, &text)
}

fn demo_temp(env: &Env, out: Out) -> Result<(), CliError> {
    let dir = tempfile::Builder::new()
        .prefix("casedesk-demo-")
        .tempdir()
        .map_err(|e| {
            crate::store::StoreError::io("create a temporary directory", std::env::temp_dir(), e)
        })?;
    let store = Store::open_or_create(dir.path())?;
    // A throw-away store for one person: it is opened here, never shared.
    let mut backend = crate::backend::Embedded::new(store, &env.user, Some(&env.user))?;
    backend.demo(DEMO_CASES, 1, env.now)?;
    if on_terminal() {
        // The store and its directory go when the screens close.
        return screens(Box::new(backend), env);
    }
    let text = overview(backend.snapshot()?, env.today(), env.lang);
    put(out, &text)
}

/// True when casedesk talks to a person at a terminal (not a pipe or a script).
fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The keymap in force: the shipped default, or `$XDG_CONFIG_HOME/casedesk/keymap.toml` over it.
fn keymap(lang: Lang) -> Result<crate::keymap::Keymap, CliError> {
    let user =
        directories::BaseDirs::new().map(|d| d.config_dir().join("casedesk").join("keymap.toml"));
    if let Some(path) = &user
        && std::fs::symlink_metadata(path).is_ok()
        && !path.exists()
    {
        // A link to nowhere is a keymap someone meant to use: say so rather than ignore it.
        let target = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let line = match lang {
            Lang::Ko => format!(
                "casedesk: 키맵 파일 {}은(는) 없는 파일 {target}을(를) 가리키는 링크입니다: 기본 키를 씁니다",
                path.display()
            ),
            Lang::En => format!(
                "casedesk: the keymap file {} is a link to {target}, which does not exist: using the default keys",
                path.display()
            ),
        };
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::domain::input::shorten_quotes(&crate::domain::input::shown(&line), lang)
        );
        return Ok(crate::keymap::Keymap::load(None)?);
    }
    Ok(crate::keymap::Keymap::load(
        user.as_deref().filter(|p| p.exists()),
    )?)
}

/// Opens the screens on `backend`.
pub(super) fn screens(backend: Box<dyn Backend>, env: &Env) -> Result<(), CliError> {
    let options = screen_options(env)?;
    crate::tui::run(backend, options).map_err(|e| match e {
        crate::tui::TuiError::Backend(e) => CliError::Backend(e),
        crate::tui::TuiError::Terminal(e) => CliError::Output(e.to_string()),
    })
}

/// Opens a read-only view that follows the running conference (or conference `id`).
pub(super) fn follow_screens(
    backend: Box<dyn Backend>,
    env: &Env,
    id: Option<u32>,
) -> Result<(), CliError> {
    let options = screen_options(env)?;
    crate::tui::follow(backend, options, id).map_err(|e| match e {
        crate::tui::TuiError::Backend(e) => CliError::Backend(e),
        crate::tui::TuiError::Terminal(e) => CliError::Output(e.to_string()),
    })
}

/// The keys, colours and clock the screens run with.
pub(super) fn screen_options(env: &Env) -> Result<crate::tui::Options, CliError> {
    let keymap = keymap(env.lang)?;
    let calendar = env.calendar()?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let fixed = std::env::var("CASEDESK_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|_| env.now);
    let clock: crate::tui::driver::Clock = match fixed {
        Some(now) => Box::new(move || now),
        None => Box::new(|| chrono::Utc::now().with_timezone(&super::env::office_offset())),
    };
    Ok(crate::tui::Options {
        lang: env.lang,
        keymap,
        theme: crate::ui::Theme::new(color),
        clock,
        calendar,
    })
}

/// Counts, overdue actions by team, and the nearest due dates.
fn overview(state: &State, today: NaiveDate, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let office = state
        .office
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let week_end = crate::app::derive::week_end(today);
    let open_cases = state.cases.values().filter(|c| c.is_open()).count();
    let high = state
        .cases
        .values()
        .filter(|c| c.is_open() && c.level == crate::domain::vocab::Level::High)
        .count();
    let open: Vec<&Action> = state.actions.values().filter(|a| a.is_open()).collect();
    let overdue: Vec<&Action> = open
        .iter()
        .copied()
        .filter(|a| a.is_overdue(today))
        .collect();
    let this_week = open
        .iter()
        .filter(|a| a.due_on >= today && a.due_on <= week_end)
        .count();
    let mut text = format!("{office} — {}\n", output::day(today, lang));
    text.push_str(&if ko {
        format!("진행 사례 {open_cases}  고위기 {high}  기한초과 조치 {}  이번 주 기한 {this_week}\n", overdue.len())
    } else {
        format!("open cases {open_cases}  high crisis {high}  overdue actions {}  due this week {this_week}\n", overdue.len())
    });
    text.push_str(if ko {
        "\n부서별 기한초과\n"
    } else {
        "\noverdue by team\n"
    });
    let mut by_team: Vec<(&Team, usize)> = state
        .teams
        .values()
        .map(|t| (t, overdue.iter().filter(|a| a.team == t.code).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_team.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
    if by_team.is_empty() {
        text.push_str(if ko { "  없음\n" } else { "  none\n" });
    }
    let rows: Vec<Vec<String>> = by_team
        .iter()
        .map(|(t, n)| vec![t.code.to_string(), t.name(lang).to_string(), n.to_string()])
        .collect();
    if !rows.is_empty() {
        let header = if ko {
            ["코드", "부서", "건수"]
        } else {
            ["code", "team", "count"]
        };
        for line in crate::cells::table(&header, &rows, 40).lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    let mut upcoming: Vec<&Action> = open.iter().copied().filter(|a| a.due_on >= today).collect();
    upcoming.sort_by_key(|a| (a.due_on, a.id));
    upcoming.truncate(10);
    text.push_str(if ko {
        "\n가까운 기한 10건\n"
    } else {
        "\nnext 10 due dates\n"
    });
    for line in output::action_table(&upcoming, today, lang).lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text
}

fn date(input: &str, env: &Env) -> Result<NaiveDate, CliError> {
    Ok(parse_date(input, env.today())?)
}

/// A due or review date: a month and day without a year is the next one from today on; business
/// days skip the office's closing days too.
fn date_ahead(input: &str, env: &Env) -> Result<NaiveDate, CliError> {
    Ok(env.calendar()?.parse_date_ahead(input, env.today())?)
}

fn case(env: &Env, b: &mut dyn Backend, cmd: CaseCmd, out: Out) -> Result<(), CliError> {
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
    } else {
        put(
            out,
            &output::case_table(state, &cases, list.unmasked, env.today(), env.lang),
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
    };
    if change == CaseUpdate::default() {
        return Err(CliError::NothingToSet {
            options: "--lead, --co, --level, --stage, --review, --person, --consent, --consent-to",
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
    put(out, &format!("{number}: {}\n", changed.join("; ")))
}

fn action(env: &Env, b: &mut dyn Backend, cmd: ActionCmd, out: Out) -> Result<(), CliError> {
    let today = env.today();
    match cmd {
        ActionCmd::Add {
            case,
            title,
            team,
            due,
            person,
        } => {
            let (state, number) = case_view(b, &case)?;
            let team = state.resolve_team(&team)?;
            let due_on = date_ahead(&due, env)?;
            let receipt = b.apply(
                Command::AddAction {
                    case: number,
                    title,
                    team,
                    due_on,
                    person,
                    conference: None,
                },
                env.now,
                &[],
            )?;
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
            } else {
                let refs: Vec<&Action> = actions.iter().collect();
                put(out, &output::action_table(&refs, today, env.lang))
            }
        }
        ActionCmd::Set {
            action,
            title,
            team,
            due,
            person,
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
            put(out, &format!("{id} {}\n", env.lang.pick("완료", "done")))
        }
        ActionCmd::Drop { action, reason } => {
            let id = find_action(&action)?;
            b.apply(Command::DropAction { action: id, reason }, env.now, &[])?;
            put(out, &format!("{id} {}\n", env.lang.pick("취소", "dropped")))
        }
    }
}

/// What a value given to `set` says.
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

fn team(env: &Env, b: &mut dyn Backend, cmd: TeamCmd, out: Out) -> Result<(), CliError> {
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

pub(super) fn check_store(
    env: &Env,
    rebuild: bool,
    discard_newer: bool,
    anchor: Option<&str>,
    out: Out,
) -> Result<(), CliError> {
    let ko = env.lang == Lang::Ko;
    let anchor = anchor
        .map(|text| {
            text.parse::<check::Anchor>()
                .map_err(|()| CliError::BadAnchor {
                    text: text.to_string(),
                })
        })
        .transpose()?;
    let mut text = String::new();
    let described = match super::connect::running(env)? {
        // The server has the store open: it checks it (a rebuild needs the store to itself).
        Some(mut backend) => {
            if rebuild {
                return Err(CliError::ServerRunning {
                    dir: env.dir.clone(),
                    what: "check --rebuild",
                });
            }
            backend.check(anchor.as_ref().map(ToString::to_string).as_deref())?
        }
        None => {
            if rebuild {
                let (store, built) = Store::rebuild(&env.dir, discard_newer)?;
                drop(store);
                if let Some(q) = &built.quarantined {
                    text.push_str(&format!("{}\n", q.localize(env.lang)));
                }
                text.push_str(&match (&built.aside, ko) {
                (Some(aside), true) => format!(
                    "저널 {}건으로 저장소를 다시 만들었습니다. 이전 파일은 {}에 남겨 두었습니다\n",
                    built.entries,
                    aside.display()
                ),
                (Some(aside), false) => format!(
                    "rebuilt the store from {} journal entries; the old files are kept at {}\n",
                    built.entries,
                    aside.display()
                ),
                (None, true) => format!("저널 {}건으로 저장소를 다시 만들었습니다\n", built.entries),
                (None, false) => format!("rebuilt the store from {} journal entries\n", built.entries),
            });
                if !built.newer.is_empty()
                    && let Some(aside) = &built.aside
                {
                    let names: Vec<String> = built
                        .newer
                        .iter()
                        .map(|n| format!("{} {}", n.tree, n.key))
                        .collect();
                    let file = crate::store::build::newer_file(aside);
                    text.push_str(&if ko {
                    format!(
                        "저널에 없던 기록 {}건을 버렸습니다 ({}): 그 내용은 {}에 남겨 두었습니다\n",
                        names.len(),
                        names.join(", "),
                        file.display()
                    )
                } else {
                    format!(
                        "dropped {} record(s) the journal lacked ({}); they are kept in {}\n",
                        names.len(),
                        names.join(", "),
                        file.display()
                    )
                });
                }
            }
            let report = check::check_anchored(&env.dir, anchor.as_ref())?;
            crate::backend::CheckSummary::of(&report, anchor.as_ref())
        }
    };
    text.push_str(described.text(env.lang));
    put(out, &text)?;
    if described.ok {
        Ok(())
    } else {
        Err(CliError::CheckFailed {
            problems: described.problems,
        })
    }
}
