//! The command-line grammar (clap): every subcommand and option; no IO.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// casedesk — 학생맞춤통합지원 case desk: cases, lead and cooperating teams, actions and due dates.
#[derive(Debug, Parser)]
#[command(
    name = "casedesk",
    version,
    about,
    long_about = None,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Store directory [default: $XDG_DATA_HOME/casedesk]
    #[arg(long, global = true, env = "CASEDESK_DB", value_name = "DIR")]
    pub db: Option<PathBuf>,

    /// Language of the output [default: Korean when LANG starts with ko, else English]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// Open a fresh demo store (a few hundred synthetic cases) in a temporary directory
    #[arg(long)]
    pub demo: bool,

    /// Open the store in this process instead of through the shared server (for one person;
    /// refused while a server runs on the store)
    #[arg(long, global = true, env = "CASEDESK_NO_SERVER", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_server: bool,

    /// What to do; without one, opens the dashboard (or prints the overview when not on a terminal)
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 한국어
    Ko,
    /// English
    En,
}

/// The subcommands.
// Parsed once per run: `case set`'s many options are not worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create a new store for an office, with the default team list
    Init {
        /// Office name (e.g. 광주동부교육지원청)
        #[arg(long)]
        office: Option<String>,
    },
    /// Fill an empty store with synthetic demo data (deterministic per seed)
    Demo {
        /// Number of cases
        #[arg(long)]
        cases: usize,
        /// Random seed
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Cases (사례)
    #[command(subcommand)]
    Case(CaseCmd),
    /// Actions (조치사항)
    #[command(subcommand)]
    Action(ActionCmd),
    /// Timeline notes (기록)
    #[command(subcommand)]
    Note(NoteCmd),
    /// Guardian consent (보호자 동의): to collect and use, to share with a named agency
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Teams and agencies (부서/기관)
    #[command(subcommand)]
    Team(TeamCmd),
    /// Case conferences (사례회의): agenda, outcomes, minutes
    #[command(subcommand)]
    Conference(ConferenceCmd),
    /// Print the keys in force (keymaps/default.toml and your keymap.toml)
    Keys,
    /// List a year's days off — public holidays and your office's closing days
    /// (closing-days.toml beside keymap.toml) — with where each comes from
    Holidays {
        /// The year [default: this year]
        year: Option<i32>,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Verify the journal's hash chain and that the store agrees with it; show the journal's head
    Check {
        /// Rebuild the store from the journal first (the old store files are kept aside)
        #[arg(long)]
        rebuild: bool,
        /// With --rebuild: rebuild even over records the database holds that the journal lacks
        /// (they are kept aside with the old files)
        #[arg(long, requires = "rebuild")]
        discard_newer: bool,
        /// Prove that the journal up to an anchor (SEQ:HASH, as printed on minutes and backups)
        /// is unchanged since
        #[arg(long, value_name = "SEQ:HASH")]
        anchor: Option<String>,
    },
    /// Import school applications (신청서) from a CSV file: all rows or none
    Import(ImportArgs),
    /// Write a verifiable backup of the store's journal (works while casedesk is in use)
    Backup {
        /// The backup file to write (it must not exist)
        file: PathBuf,
    },
    /// Rebuild a store from a backup into a new or empty directory (give it with --db DIR)
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// Export cases, actions or notes as CSV (UTF-8 with BOM, for Excel) or JSON
    Export(ExportArgs),
    /// Run the shared server for the store in the foreground (for a service manager), or ask
    /// about the one running
    Serve(ServeArgs),
    /// The people who may use the store, and their roles (admins manage them)
    #[command(subcommand)]
    User(UserCmd),
    /// Who has casedesk open on the store, from where and since when
    Who {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Take back your own last change (asks first; --yes to skip the question)
    Undo {
        /// Do it without asking (needed when not on a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Print a shell completion script (e.g. `casedesk completions bash > ~/.local/share/bash-completion/completions/casedesk`)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: ShellArg,
    },
    /// Print the manual page (roff), e.g. `casedesk man | man -l -`
    Man,
    /// Monthly statistics for the provincial office
    Report {
        /// The month: YYYY-MM
        #[arg(long)]
        month: String,
        /// Output format
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
}

/// Shells `casedesk completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash
    Bash,
    /// Zsh
    Zsh,
    /// Fish
    Fish,
}

/// `casedesk serve`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Say whether a server runs on the store (its pid, account, clients, since when)
    #[arg(long, conflicts_with = "stop")]
    pub status: bool,
    /// Stop the server running on the store, cleanly
    #[arg(long)]
    pub stop: bool,
    /// JSON output (with --status)
    #[arg(long, requires = "status")]
    pub json: bool,
    /// Stop after this many seconds with nobody connected [default: never; 600 for a server
    /// casedesk starts by itself]
    #[arg(long, value_name = "SECONDS")]
    pub idle: Option<u64>,
    /// Started by another casedesk (not for people): detach and stop when idle
    #[arg(long, hide = true)]
    pub background: bool,
}

/// `casedesk user …`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Let an operating-system account use the store
    Add {
        /// The account (its login name)
        account: String,
        /// What they may do
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Their teams, comma-separated (members need at least one)
        #[arg(long)]
        team: Option<String>,
        /// Their name as colleagues know it
        #[arg(long)]
        name: Option<String>,
    },
    /// Change a user's role, teams or name
    Set {
        /// The account
        account: String,
        /// New role
        #[arg(long, value_enum)]
        role: Option<RoleArg>,
        /// New teams, comma-separated (replaces the list)
        #[arg(long)]
        team: Option<String>,
        /// New name, or "none" to clear it
        #[arg(long)]
        name: Option<String>,
    },
    /// List the users
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Take an account's access away (what they recorded stays)
    Remove {
        /// The account
        account: String,
    },
}

/// `--role` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Everything, including managing users
    Admin,
    /// Everything but managing users
    Coordinator,
    /// Their teams' cases only
    Member,
    /// Reads everything with names masked; changes nothing
    Viewer,
}

/// `casedesk import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (Korean or English headers)
    pub file: PathBuf,
    /// Check and report only; import nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The file's encoding
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    pub encoding: EncodingArg,
    /// Import rows that match an open case (name, birth date, school) too
    #[arg(long)]
    pub allow_duplicates: bool,
    /// Lead team of the new cases [default: CENTER, the support centre]
    #[arg(long)]
    pub lead: Option<String>,
    /// Show students' full names in the report
    #[arg(long)]
    pub unmasked: bool,
}

/// `--encoding` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8 (with or without BOM), else CP949
    Auto,
    /// UTF-8
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// CP949 / EUC-KR (Korean Excel's "CSV")
    #[value(alias = "euc-kr")]
    Cp949,
}

/// `casedesk export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// File format
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Students' full names, full birth dates and restricted notes (recorded in the journal)
    #[arg(long)]
    pub unmasked: bool,
    /// Write to this file (owner-only) instead of standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    /// Every case
    Cases,
    /// Every action
    Actions,
    /// Every note
    Notes,
}

/// `export --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV, UTF-8 with BOM
    Csv,
    /// JSON
    Json,
}

/// `report --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned tables
    Text,
    /// CSV, UTF-8 with BOM
    Csv,
    /// JSON
    Json,
}

/// `casedesk case …`
#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Register a case; prints only its number
    Add(CaseAdd),
    /// List cases
    List(CaseList),
    /// Every field of a case, its actions and its notes
    Show {
        /// Case number (YYYY-NNNN)
        case: String,
        /// Show the student's full name and restricted notes
        #[arg(long)]
        unmasked: bool,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Change lead or cooperating teams, level, stage or review date
    Set(CaseSet),
    /// Close a case (종결)
    Close {
        /// Case number
        case: String,
        /// Why it is closed
        #[arg(long)]
        reason: String,
        /// Drop its open actions with the same reason
        #[arg(long)]
        drop_open: bool,
    },
    /// Reopen a closed case (재개); it goes back to the case conference stage
    Reopen {
        /// Case number
        case: String,
        /// Why it is reopened
        #[arg(long)]
        reason: String,
    },
    /// Merge a student's second case into the one kept (병합): its actions, notes, consents and
    /// conference items move there and it stays as a pointer; asks first, `undo` takes it back
    Merge {
        /// The case to keep (YYYY-NNNN)
        keep: String,
        /// The case merged into it
        other: String,
        /// Do it without asking (needed when not on a terminal)
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// `casedesk case add`
#[derive(Debug, Args)]
pub struct CaseAdd {
    /// Student's name
    #[arg(long)]
    pub student: String,
    /// School
    #[arg(long)]
    pub school: String,
    /// Grade, optionally with class: 3 or 3-2
    #[arg(long)]
    pub grade: String,
    /// Lead team (code, Korean or English name)
    #[arg(long)]
    pub lead: String,
    /// Cooperating teams, comma-separated
    #[arg(long)]
    pub co: Option<String>,
    /// Crisis level: watch/관심, caution/주의, crisis/위기, high/고위기 [default: watch]
    #[arg(long)]
    pub level: Option<String>,
    /// Difficulty domains or their sub-items, comma-separated (학업, 심리·정서, 우울, …)
    #[arg(long)]
    pub domain: Option<String>,
    /// First review date (2026-12-05, 12/5, +2w, 다음주 금, …)
    #[arg(long, allow_hyphen_values = true)]
    pub review: Option<String>,
    /// Person in charge in the lead team
    #[arg(long)]
    pub person: Option<String>,
    /// Student's birth date
    #[arg(long, allow_hyphen_values = true)]
    pub birth: Option<String>,
    /// Student's sex: m/남, f/여
    #[arg(long)]
    pub sex: Option<String>,
    /// Who referred the student
    #[arg(long)]
    pub source: Option<String>,
    /// Short summary
    #[arg(long)]
    pub summary: Option<String>,
    /// Mark as urgent
    #[arg(long)]
    pub urgent: bool,
    /// Mark as a safety concern
    #[arg(long)]
    pub safety: bool,
    /// Background items of the application form, comma-separated (기초생활수급자, 법정차상위,
    /// 한부모, 조부모, 다문화, 북한이탈주민, …)
    #[arg(long)]
    pub background: Option<String>,
    /// Register even when a case for the same student exists
    #[arg(long)]
    pub allow_duplicate: bool,
}

/// `casedesk case list`
#[derive(Debug, Args)]
pub struct CaseList {
    /// Only cases this team leads or cooperates on
    #[arg(long)]
    pub team: Option<String>,
    /// Only this crisis level
    #[arg(long)]
    pub level: Option<String>,
    /// Only this stage
    #[arg(long)]
    pub stage: Option<String>,
    /// Only open cases (the default)
    #[arg(long, conflicts_with = "all")]
    pub open: bool,
    /// Closed cases too
    #[arg(long)]
    pub all: bool,
    /// Show students' full names
    #[arg(long)]
    pub unmasked: bool,
    /// Every cell whole, however wide the terminal (a pipe always gets whole rows)
    #[arg(long)]
    pub wide: bool,
    /// JSON output
    #[arg(long)]
    pub json: bool,
}

/// `casedesk case set`
#[derive(Debug, Args)]
pub struct CaseSet {
    /// Case number
    pub case: String,
    /// New lead team
    #[arg(long)]
    pub lead: Option<String>,
    /// New cooperating teams, comma-separated (replaces the list; "" clears it)
    #[arg(long)]
    pub co: Option<String>,
    /// New crisis level
    #[arg(long)]
    pub level: Option<String>,
    /// New stage
    #[arg(long)]
    pub stage: Option<String>,
    /// New review date, or "none" to clear it
    #[arg(long, allow_hyphen_values = true)]
    pub review: Option<String>,
    /// New person in charge, or "none" to clear it
    #[arg(long)]
    pub person: Option<String>,
    /// Day the guardian consented to collection and use (or "none")
    #[arg(long, allow_hyphen_values = true)]
    pub consent: Option<String>,
    /// Agencies the guardian agreed to share with, comma-separated ("" clears)
    #[arg(long)]
    pub consent_to: Option<String>,
    /// With --stage: move more than one stage forward (the stages passed over are recorded as
    /// skipped)
    #[arg(long, requires = "stage")]
    pub skip: bool,
    /// The student's name, corrected
    #[arg(long)]
    pub student: Option<String>,
    /// Birth date, or "none"
    #[arg(long, allow_hyphen_values = true)]
    pub birth: Option<String>,
    /// Sex: m/남, f/여, or "none"
    #[arg(long)]
    pub sex: Option<String>,
    /// A new school (a transfer; the old school stays on the timeline)
    #[arg(long)]
    pub school: Option<String>,
    /// A new grade and class: 4 or 4-1
    #[arg(long)]
    pub grade: Option<String>,
    /// Difficulty domains and sub-items, comma-separated (replaces them; "none" clears)
    #[arg(long)]
    pub domain: Option<String>,
    /// A new summary, or "none"
    #[arg(long)]
    pub summary: Option<String>,
    /// Background items, comma-separated (replaces them; "none" clears)
    #[arg(long)]
    pub background: Option<String>,
    /// Who referred the student, or "none"
    #[arg(long)]
    pub source: Option<String>,
    /// Urgent: yes or no
    #[arg(long)]
    pub urgent: Option<String>,
    /// A safety concern: yes or no
    #[arg(long)]
    pub safety: Option<String>,
    /// Change it only if it is still at this revision (the `rev` of `case show --json`)
    #[arg(long, value_name = "REV")]
    pub if_rev: Option<String>,
}

/// `casedesk action …`
#[derive(Debug, Subcommand)]
pub enum ActionCmd {
    /// Add an action to a case; prints only its id (CASE/N)
    Add {
        /// Case number
        case: String,
        /// What is to be done
        #[arg(long)]
        title: String,
        /// Owner team (code, Korean or English name)
        #[arg(long)]
        team: String,
        /// Due date (2026-12-05, 12/5, +3d, +2w, +5bd, 금, 다음주 금, …)
        #[arg(long, allow_hyphen_values = true)]
        due: String,
        /// Person who does it
        #[arg(long)]
        person: Option<String>,
        /// Give it to an outside agency the case has no consent to share with, for this reason
        /// (a safety emergency, say); without it such an action is refused
        #[arg(long, value_name = "REASON")]
        without_consent: Option<String>,
        /// Recurring work: this many weekly sessions, the first on or after --due
        #[arg(long, value_name = "N")]
        sessions: Option<u32>,
        /// The sessions' weekday (tue, 화, …); the weekday of --due when left out
        #[arg(long, value_name = "WEEKDAY", requires = "sessions")]
        every: Option<String>,
    },
    /// Record a session of recurring work as held or missed (a missed one can be made up: mark it held later)
    Session {
        /// Action id (CASE/N)
        action: String,
        /// Session number, from 1
        session: u32,
        /// held | missed (진행 | 결석)
        mark: String,
    },
    /// List open actions, earliest due first
    List {
        /// Only this team's actions
        #[arg(long)]
        team: Option<String>,
        /// Only overdue actions
        #[arg(long)]
        overdue: bool,
        /// Only actions due within this many days (overdue ones included)
        #[arg(long, value_name = "DAYS")]
        due_within: Option<u32>,
        /// Only this case's actions
        #[arg(long)]
        case: Option<String>,
        /// Done and dropped actions too
        #[arg(long)]
        all: bool,
        /// Every cell whole, however wide the terminal (a pipe always gets whole rows)
        #[arg(long)]
        wide: bool,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Change an open action's title, owner team, due date or person
    Set {
        /// Action id (CASE/N)
        action: String,
        /// New title
        #[arg(long)]
        title: Option<String>,
        /// New owner team
        #[arg(long)]
        team: Option<String>,
        /// New due date
        #[arg(long, allow_hyphen_values = true)]
        due: Option<String>,
        /// New person, or "none" to clear it
        #[arg(long)]
        person: Option<String>,
        /// With --team: give it to an outside agency the case has no consent to share with,
        /// for this reason
        #[arg(long, value_name = "REASON", requires = "team")]
        without_consent: Option<String>,
        /// Change it only if it is still at this revision (the `rev` of `action list --json`)
        #[arg(long, value_name = "REV")]
        if_rev: Option<String>,
    },
    /// Mark an action done
    Done {
        /// Action id (CASE/N)
        action: String,
        /// What came of it
        #[arg(long)]
        note: Option<String>,
    },
    /// Record progress on an open action without closing it
    Note {
        /// Action id (CASE/N)
        action: String,
        /// What happened so far
        text: String,
    },
    /// Record a referral's status (an action owned by an outside agency): accepted,
    /// in-progress, finished (done), declined (dropped, needs --reason), or requested (asked again)
    Referral {
        /// Action id (CASE/N)
        action: String,
        /// accepted | in-progress | finished | declined | requested (or 수락, 진행 중, 완료, 거절, 의뢰)
        status: String,
        /// Why (required for declined), or what came of it
        #[arg(long)]
        reason: Option<String>,
    },
    /// Drop an action that will not be done
    Drop {
        /// Action id (CASE/N)
        action: String,
        /// Why
        #[arg(long)]
        reason: String,
    },
}

/// `casedesk consent …`
#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Record a consent: to collect and use (--collect), or to share with an agency (--share)
    Add {
        /// Case number
        case: String,
        /// Consent to collect and use the student's data (수집·이용)
        #[arg(long, conflicts_with = "share", required_unless_present = "share")]
        collect: bool,
        /// Consent to share with this outside agency (제3자 제공)
        #[arg(long, value_name = "AGENCY")]
        share: Option<String>,
        /// The day it was given (2026-11-28, 11/28, today, …) [default: today]
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
        /// Who gave it: guardian/보호자, student/학생, both/모두
        #[arg(long, default_value = "guardian")]
        by: String,
    },
    /// Record that a consent was withdrawn (it stays listed, with the day)
    Withdraw {
        /// Case number
        case: String,
        /// The consent's number, as `consent list` shows it
        n: u32,
        /// The day it was withdrawn [default: today]
        #[arg(long, allow_hyphen_values = true)]
        on: Option<String>,
    },
    /// A case's consents, numbered, with who gave them, when, and withdrawals
    List {
        /// Case number
        case: String,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
}

/// `casedesk note …`
#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Add a note to a case's timeline
    Add {
        /// Case number
        case: String,
        /// The note
        text: String,
        /// Only the lead team and coordinators may read it (abuse, self-harm details)
        #[arg(long)]
        restricted: bool,
    },
}

/// `casedesk team …`
#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// List teams and agencies
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Add a team or agency
    Add {
        /// Short code (e.g. LIB)
        code: String,
        /// Korean name
        #[arg(long)]
        name: String,
        /// English name
        #[arg(long)]
        name_en: Option<String>,
        /// An agency outside the office
        #[arg(long)]
        external: bool,
    },
}

/// `--kind` values of a conference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// 정기
    Regular,
    /// 수시
    Adhoc,
    /// 긴급
    Urgent,
}

/// `--role` values of an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttendRoleArg {
    /// For a team or agency (부서·기관)
    Team,
    /// 담임
    Homeroom,
    /// 교장
    Principal,
    /// 교감
    VicePrincipal,
    /// 상담교사
    Counselor,
    /// 보건교사
    SchoolNurse,
    /// 교육복지사
    WelfareWorker,
    /// 교직원
    SchoolStaff,
    /// 보호자
    Guardian,
    /// 학생
    Student,
    /// 통역
    Interpreter,
    /// 기타
    Other,
}

/// `--status` values of an attendee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// 참석
    Present,
    /// 지각
    Late,
    /// 조퇴
    LeftEarly,
    /// 불참
    Absent,
}

/// A time of day as people type it.
fn clock_time(text: &str) -> Result<chrono::NaiveTime, String> {
    crate::domain::conference::parse_time(text)
        .ok_or_else(|| format!("'{text}' is not a time of day (e.g. 14:00, 1400, 2pm)"))
}

/// `--format` values of minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinutesFormat {
    /// Markdown
    Md,
    /// Printable HTML (A4)
    Html,
    /// One CSV per team of its new actions (UTF-8 with BOM, for Excel)
    Csv,
}

/// `casedesk conference …`
#[derive(Debug, Subcommand)]
pub enum ConferenceCmd {
    /// Prepare a conference with a proposed agenda; prints only its number
    New {
        /// Day it is held [default: today]
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        /// Title [default: "<date> 정기 사례회의"]
        #[arg(long)]
        title: Option<String>,
        /// Kind
        #[arg(long, value_enum, default_value_t = KindArg::Regular)]
        kind: KindArg,
        /// Who runs it [default: you]
        #[arg(long)]
        facilitator: Option<String>,
        /// How long it runs, in minutes: the agenda is proposed to fit it
        #[arg(long, value_name = "MINUTES", default_value_t = crate::domain::limits::DEFAULT_CONFERENCE_MINUTES)]
        length: u16,
        /// Where it is held
        #[arg(long)]
        place: Option<String>,
        /// When it starts (14:00, 1400, 2pm, 오후 2시)
        #[arg(long, value_parser = clock_time)]
        time: Option<chrono::NaiveTime>,
    },
    /// Change a conference's place, time, length or the next conference's day and time
    Set {
        /// Conference number (1 or #1)
        #[arg(value_parser = conference_id)]
        id: u32,
        /// Where it is held
        #[arg(long)]
        place: Option<String>,
        /// When it starts
        #[arg(long, value_parser = clock_time)]
        time: Option<chrono::NaiveTime>,
        /// How long it runs, in minutes
        #[arg(long, value_name = "MINUTES")]
        length: Option<u16>,
        /// The next conference's day (12/18, +2w, 다음주 금)
        #[arg(long, allow_hyphen_values = true)]
        next: Option<String>,
        /// The next conference's time
        #[arg(long, value_parser = clock_time, requires = "next")]
        next_time: Option<chrono::NaiveTime>,
    },
    /// Add someone to a conference's attendance: for a team or agency, or as school staff,
    /// the guardian, the student or an interpreter; a new agency is registered with them
    Attend {
        /// Conference number (1 or #1)
        #[arg(value_parser = conference_id)]
        id: u32,
        /// What they are there as
        #[arg(long, value_enum, default_value_t = AttendRoleArg::Team)]
        role: AttendRoleArg,
        /// The team or agency they came for (code or name)
        #[arg(long, conflicts_with = "new_agency")]
        team: Option<String>,
        /// An agency casedesk does not know yet: its name (registered as external, with
        /// --code)
        #[arg(long, requires = "code")]
        new_agency: Option<String>,
        /// The new agency's short code (e.g. DGWC)
        #[arg(long, requires = "new_agency")]
        code: Option<String>,
        /// Their name
        #[arg(long)]
        person: Option<String>,
        /// Whether they are there
        #[arg(long, value_enum, default_value_t = StatusArg::Present)]
        status: StatusArg,
    },
    /// List conferences, newest first
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// A conference's agenda with reasons, attendance and outcomes
    Show {
        /// Conference number (1 or #1)
        #[arg(value_parser = conference_id)]
        id: u32,
        /// Show students' full names
        #[arg(long)]
        unmasked: bool,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Write the minutes (회의록)
    Minutes {
        /// Conference number (1 or #1)
        #[arg(value_parser = conference_id)]
        id: u32,
        /// Markdown, printable HTML, or one CSV per team
        #[arg(long, value_enum)]
        format: MinutesFormat,
        /// File to write (md, html) or directory for the team files (csv) [default: standard
        /// output for md and html, the current directory for csv]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Show students' full names
        #[arg(long)]
        unmasked: bool,
    },
    /// Follow the running conference from another terminal: a read-only view that moves with
    /// the facilitator, names masked as on the projector
    Follow {
        /// Conference number [default: the one running]
        #[arg(value_parser = conference_id)]
        id: Option<u32>,
    },
    /// Add a correction to a closed conference (its record is never edited)
    Amend {
        /// Conference number (1 or #1)
        #[arg(value_parser = conference_id)]
        id: u32,
        /// The correction
        text: String,
        /// The agenda item's case it concerns
        #[arg(long)]
        case: Option<String>,
    },
}

/// A conference number as the screens show it (`#1`) or bare (`1`).
fn conference_id(text: &str) -> Result<u32, String> {
    text.trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| format!("'{text}' is not a conference number (e.g. 1 or #1)"))
}
