//! Runs one parsed command: picks where it goes (the store, the server, the screens) and
//! hands it over; sets up new and demo stores.

use super::args::{ActionCmd, CaseCmd, Cli, Cmd, ConsentCmd};
use super::connect::{Session, connect};
use super::env::Env;
use super::error::CliError;
use super::out::{Out, put};
use super::{conference, consent, data, holidays, records, screens, serve, users};
use crate::backend::Backend;
use crate::domain::model::default_teams;
use crate::domain::{Command, DomainError};
use crate::i18n::Lang;
use crate::store::Store;

/// The most cases `demo` makes (a stress test of a large office is 100,000).
const MAX_DEMO_CASES: usize = 200_000;

/// Cases a `--demo` store gets.
const DEMO_CASES: usize = 300;

pub(super) fn run(cli: Cli, env: &Env, out: Out) -> Result<(), CliError> {
    if cli.demo {
        return demo_temp(env, out);
    }
    let Some(command) = cli.command else {
        let screens_here = screens::on_terminal();
        let kind = if screens_here {
            Session::Screens
        } else {
            Session::Command("overview")
        };
        let mut backend = connect(env, kind)?;
        if screens_here {
            return screens::screens(backend, env);
        }
        let text = screens::overview(backend.snapshot()?, env.today(), env.lang);
        return put(out, &text);
    };
    match command {
        Cmd::Keys => put(out, &screens::keymap(env.lang)?.describe(env.lang)),
        Cmd::Completions { shell } => completions(shell, out),
        Cmd::Man => man(out),
        Cmd::Holidays { year, json } => holidays::run(env, year, json, out),
        Cmd::Init { office } => init(env, office, out),
        Cmd::Demo { cases, seed } => demo(env, cases, seed, out),
        Cmd::Restore { file } => data::restore(env, &file, out),
        Cmd::Serve(args) => serve::serve(env, args, out),
        Cmd::Conference(crate::cli::args::ConferenceCmd::Follow { id }) => {
            conference::follow(env, id)
        }
        Cmd::Check {
            rebuild,
            discard_newer,
            anchor,
        } => super::check::check_store(env, rebuild, discard_newer, anchor.as_deref(), out),
        // In this process, a backup reads the journal without the store's lock: it works while
        // another casedesk has the store open.
        Cmd::Backup { file } if env.no_server => data::backup_journal(env, &file, out),
        command => {
            let mut backend = connect(env, Session::Command(command_name(&command)))?;
            let b = backend.as_mut();
            match command {
                Cmd::Case(cmd) => records::case(env, b, cmd, out),
                Cmd::Action(cmd) => records::action(env, b, cmd, out),
                Cmd::Note(cmd) => records::note(env, b, cmd, out),
                Cmd::Consent(cmd) => consent::consent(env, b, cmd, out),
                Cmd::Team(cmd) => records::team(env, b, cmd, out),
                Cmd::Conference(cmd) => conference::run(env, b, cmd, out),
                Cmd::Import(args) => data::import(env, b, args, out),
                Cmd::Backup { file } => data::backup(env, b, &file, out),
                Cmd::Export(args) => data::export(env, b, args, out),
                Cmd::Report { month, format } => data::report(env, b, &month, format, out),
                Cmd::User(cmd) => users::user(env, b, cmd, out),
                Cmd::Who { json } => users::who(env, b, json, out),
                // Handled above, without a connection.
                Cmd::Undo { yes } => records::undo(env, b, yes, out),
                Cmd::Keys
                | Cmd::Completions { .. }
                | Cmd::Man
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
/// What this run of casedesk is, in a few words (`case add`, `screens`): never its arguments.
pub(super) fn run_name(cli: &Cli) -> &'static str {
    match &cli.command {
        _ if cli.demo => "demo screens",
        None => "screens",
        Some(command) => command_name(command),
    }
}

fn command_name(command: &Cmd) -> &'static str {
    match command {
        Cmd::Case(CaseCmd::Add(_)) => "case add",
        Cmd::Case(CaseCmd::List(_)) => "case list",
        Cmd::Case(CaseCmd::Show { .. }) => "case show",
        Cmd::Case(CaseCmd::Set(_)) => "case set",
        Cmd::Case(CaseCmd::Close { .. }) => "case close",
        Cmd::Case(CaseCmd::Reopen { .. }) => "case reopen",
        Cmd::Case(CaseCmd::Merge { .. }) => "case merge",
        Cmd::Action(ActionCmd::Add { .. }) => "action add",
        Cmd::Action(ActionCmd::List { .. }) => "action list",
        Cmd::Action(ActionCmd::Set { .. }) => "action set",
        Cmd::Action(ActionCmd::Done { .. }) => "action done",
        Cmd::Action(ActionCmd::Drop { .. }) => "action drop",
        Cmd::Action(ActionCmd::Note { .. }) => "action note",
        Cmd::Action(ActionCmd::Session { .. }) => "action session",
        Cmd::Action(ActionCmd::Referral { .. }) => "action referral",
        Cmd::Note(_) => "note add",
        Cmd::Consent(ConsentCmd::Add { .. }) => "consent add",
        Cmd::Consent(ConsentCmd::Withdraw { .. }) => "consent withdraw",
        Cmd::Consent(ConsentCmd::List { .. }) => "consent list",
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
        Cmd::Undo { .. } => "undo",
        Cmd::Completions { .. } => "completions",
        Cmd::Man => "man",
        Cmd::Holidays { .. } => "holidays",
        Cmd::Restore { .. } => "restore",
        Cmd::Serve(args) if args.stop => "serve --stop",
        Cmd::Serve(args) if args.status => "serve --status",
        Cmd::Serve(args) if args.background => "serve (started by casedesk)",
        Cmd::Serve(_) => "serve",
    }
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
    if screens::on_terminal() {
        // The store and its directory go when the screens close.
        return screens::screens(Box::new(backend), env);
    }
    let text = screens::overview(backend.snapshot()?, env.today(), env.lang);
    put(out, &text)
}

/// A completion script for `shell`, made from the command-line grammar itself.
fn completions(shell: super::args::ShellArg, out: Out) -> Result<(), CliError> {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        super::args::ShellArg::Bash => Shell::Bash,
        super::args::ShellArg::Zsh => Shell::Zsh,
        super::args::ShellArg::Fish => Shell::Fish,
    };
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "casedesk", &mut bytes);
    out.write_all(&bytes)
        .map_err(|e| CliError::Output(e.to_string()))
}

/// The manual page (roff), made from the command-line grammar: the main page, then one section
/// per subcommand.
fn man(out: Out) -> Result<(), CliError> {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut bytes)
        .map_err(|e| CliError::Output(e.to_string()))?;
    out.write_all(&bytes)
        .map_err(|e| CliError::Output(e.to_string()))
}
