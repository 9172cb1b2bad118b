//! Why a command was refused, in words a coordinator can act on (Korean and English); pure.

use chrono::NaiveDate;

mod conference;

pub use conference::ConferenceProblem;

use crate::domain::ids::{ActionId, CaseNumber, TeamCode};
use crate::domain::vocab::{ActionStatus, ReferralStatus, Stage};
use crate::i18n::{Lang, Localize};

/// A text field that has rules (not empty, not too long).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Field {
    /// The office name.
    Office,
    /// A team's name.
    TeamName,
    /// The student's name.
    Student,
    /// The school.
    School,
    /// An action's title.
    Title,
    /// A person's name.
    Person,
    /// The reason for closing, reopening or dropping.
    Reason,
    /// A note's text.
    NoteText,
    /// A result recorded when an action is done.
    Result,
    /// The case summary.
    Summary,
    /// Who referred the student.
    ReferralSource,
    /// A conference's title.
    ConferenceTitle,
    /// A decision recorded at a conference.
    Decision,
    /// A correction to a closed conference.
    Amendment,
    /// Where a conference is held.
    Place,
    /// Progress recorded on an open action.
    Progress,
}

impl Field {
    fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            Field::Office => ("기관 이름", "office name"),
            Field::TeamName => ("부서 이름", "team name"),
            Field::Student => ("학생 이름", "student name"),
            Field::School => ("학교", "school"),
            Field::Title => ("조치 내용", "action title"),
            Field::Person => ("담당자", "person"),
            Field::Reason => ("사유", "reason"),
            Field::NoteText => ("기록 내용", "note text"),
            Field::Result => ("결과", "result"),
            Field::Summary => ("요약", "summary"),
            Field::ReferralSource => ("의뢰처", "referral source"),
            Field::ConferenceTitle => ("회의 제목", "conference title"),
            Field::Decision => ("결정사항", "decision"),
            Field::Amendment => ("정정 내용", "correction"),
            Field::Place => ("장소", "place"),
            Field::Progress => ("경과", "progress"),
        };
        lang.pick(ko, en)
    }
}

/// A vocabulary a typed word is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Vocab {
    /// Crisis levels.
    Level,
    /// Stages.
    Stage,
    /// Difficulty domains and their sub-items.
    Domain,
    /// Sexes.
    Sex,
    /// Referral statuses.
    ReferralStatus,
    /// Kinds of consent.
    ConsentKind,
    /// Who gave a consent.
    ConsentGiver,
}

/// A command refused by the rules. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{}", self.localize(Lang::En))]
pub enum DomainError {
    /// The store has not been set up with `casedesk init`.
    NotInitialised,
    /// `init` on a store that already has an office.
    AlreadyInitialised {
        /// The office it belongs to.
        office: String,
    },
    /// No team has that code or name.
    UnknownTeam {
        /// What was typed.
        input: String,
        /// The codes that exist, the closest to what was typed first.
        valid: Vec<String>,
        /// The few teams closest to what was typed: code, Korean name, English name.
        #[serde(default)]
        closest: Vec<(String, String, String)>,
    },
    /// A team with that code exists already.
    TeamExists {
        /// The code.
        code: TeamCode,
    },
    /// A team code must be upper-case letters, digits or `_`.
    BadTeamCode {
        /// What was typed.
        input: String,
    },
    /// A level, stage or domain that does not exist.
    UnknownWord {
        /// Which list it was looked up in.
        vocab: Vocab,
        /// What was typed.
        input: String,
        /// The accepted codes.
        valid: String,
    },
    /// No such case.
    UnknownCase {
        /// What was typed.
        input: String,
    },
    /// No such action.
    UnknownAction {
        /// What was typed.
        input: String,
    },
    /// A required text is empty.
    Empty {
        /// Which one.
        field: Field,
    },
    /// A text is longer than allowed.
    TooLong {
        /// Which one.
        field: Field,
        /// The limit, in characters.
        max: usize,
    },
    /// A grade that is not 1 to 6 (optionally with a class).
    BadGrade {
        /// What was typed.
        input: String,
    },
    /// The case is closed and takes no changes but reopening and notes.
    CaseClosed {
        /// The case.
        case: CaseNumber,
    },
    /// The clock is outside the years casedesk keeps (1900–9999).
    ClockOutOfRange {
        /// The year the clock says.
        year: i32,
    },
    /// Undo refused: the record changed after the change being undone.
    ChangedSince {
        /// The record, e.g. a case number or action id.
        what: String,
    },
    /// Nothing to undo.
    NothingToUndo,
    /// Closing a case that is closed already.
    AlreadyClosed {
        /// The case.
        case: CaseNumber,
        /// Since when.
        on: Option<NaiveDate>,
    },
    /// The case is in aftercare: check-ins are notes and review dates; changes need a reopen.
    InAftercare {
        /// The case.
        case: CaseNumber,
    },
    /// A new team's code or name is already another team's code or name.
    TeamNameTaken {
        /// The name, as compared.
        name: String,
        /// The team that has it.
        team: TeamCode,
    },
    /// A due or review date too far ahead to be meant.
    DateTooFar {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// An outside agency given an action without a standing consent to share with it.
    NoConsentToShare {
        /// The case.
        case: CaseNumber,
        /// The agency.
        team: TeamCode,
    },
    /// A sharing consent without the agency it allows sharing with.
    ConsentNeedsAgency,
    /// A consent to collect and use named an agency (only sharing does).
    ConsentAgencyNotSharing {
        /// The agency given.
        team: TeamCode,
    },
    /// A sharing consent for a team of the office (only outside agencies need one).
    ConsentForInternal {
        /// The team.
        team: TeamCode,
    },
    /// No consent with this number on the case.
    UnknownConsent {
        /// The case.
        case: CaseNumber,
        /// The number asked for.
        n: u32,
        /// How many the case has.
        count: usize,
    },
    /// The consent was withdrawn already.
    ConsentWithdrawn {
        /// The case.
        case: CaseNumber,
        /// Its number.
        n: u32,
        /// The day it was withdrawn.
        on: NaiveDate,
    },
    /// A withdrawal dated before the consent was given.
    WithdrawnBeforeGiven {
        /// The day of withdrawal given.
        date: NaiveDate,
        /// The day it was given.
        given: NaiveDate,
    },
    /// A case for the same student exists (same name and birth date, or same name, school and
    /// grade).
    DuplicateStudent {
        /// The cases that match, with whether each is open.
        matches: Vec<(CaseNumber, bool)>,
    },
    /// Not a background item of the application form.
    UnknownBackground {
        /// What was given.
        input: String,
        /// The items.
        valid: String,
    },
    /// A consent date after today.
    ConsentInFuture {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A consent date before the student was born.
    ConsentBeforeBirth {
        /// The date given.
        date: NaiveDate,
        /// The student's birth date.
        birth: NaiveDate,
    },
    /// A birth date after today.
    BirthInFuture {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A lead team must be a department of the office.
    LeadMustBeInternal {
        /// The external team given as lead.
        team: TeamCode,
    },
    /// The same team was given as lead and as cooperating.
    LeadAlsoCooperating {
        /// The team.
        team: TeamCode,
    },
    /// Closing goes through `case close` with a reason.
    CloseWithReason {
        /// The case.
        case: CaseNumber,
    },
    /// A closed case comes back through `case reopen` with a reason.
    ReopenWithReason {
        /// The case.
        case: CaseNumber,
    },
    /// Aftercare follows closure only.
    AftercareNeedsClosed {
        /// The case.
        case: CaseNumber,
        /// Where it is now.
        stage: Stage,
    },
    /// Stages move forward one at a time.
    SkipStage {
        /// The case.
        case: CaseNumber,
        /// Where it is.
        from: Stage,
        /// The stage that comes next.
        next: Stage,
    },
    /// A case cannot return to intake.
    BackToIntake {
        /// The case.
        case: CaseNumber,
    },
    /// A change that changes nothing.
    NothingToChange {
        /// The case.
        case: CaseNumber,
    },
    /// An action change that changes nothing.
    NothingToChangeAction {
        /// The action.
        action: ActionId,
    },
    /// A conference change that changes nothing.
    NothingToChangeConference {
        /// The conference.
        id: u32,
    },
    /// A conference rule.
    Conference(ConferenceProblem),
    /// Reopening a case that is not closed.
    NotClosed {
        /// The case.
        case: CaseNumber,
    },
    /// Closing a case that still has open actions.
    OpenActions {
        /// The case.
        case: CaseNumber,
        /// Its open actions.
        actions: Vec<ActionId>,
    },
    /// The action is already done or dropped.
    ActionNotOpen {
        /// The action.
        action: ActionId,
        /// What it is.
        status: ActionStatus,
        /// Since when.
        on: Option<NaiveDate>,
        /// Who finished it, when recorded.
        #[serde(default)]
        by: Option<String>,
    },
    /// Recurring work with no sessions.
    NoSessions,
    /// More sessions than one action may have.
    TooManySessions {
        /// The most.
        max: usize,
    },
    /// No such session.
    UnknownSession {
        /// The action.
        action: ActionId,
        /// The number asked for.
        session: u32,
        /// How many it has.
        sessions: usize,
    },
    /// A session marked before its day.
    SessionAhead {
        /// The action.
        action: ActionId,
        /// The session.
        session: u32,
        /// Its day.
        on: NaiveDate,
    },
    /// A referral status given to an action an internal team owns.
    NotAReferral {
        /// The action.
        action: ActionId,
        /// Its owner.
        team: TeamCode,
    },
    /// A referral's status moved backwards (or stayed).
    ReferralBackwards {
        /// The action.
        action: ActionId,
        /// Where it stands.
        from: ReferralStatus,
        /// What was asked.
        to: ReferralStatus,
    },
    /// A due date before today.
    DueInPast {
        /// The date given.
        due: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A review date before today.
    ReviewInPast {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// An account name that cannot be an operating-system account.
    BadAccount {
        /// What was typed.
        input: String,
    },
    /// No user has that account.
    UnknownUser {
        /// The account.
        account: String,
    },
    /// The account is a user already.
    UserExists {
        /// The account.
        account: String,
    },
    /// A team member must belong to at least one team.
    MemberNeedsTeam {
        /// The account.
        account: String,
    },
    /// Demo data asked for in a store that has cases or belongs to a real office.
    DemoNeedsEmpty {
        /// How many cases it has.
        cases: usize,
    },
    /// A user change that changes nothing.
    NothingToChangeUser {
        /// The account.
        account: String,
    },
    /// Something recorded on a case that was merged into another.
    MergedCase {
        /// The merged case.
        case: CaseNumber,
        /// The case it lives on now.
        into: CaseNumber,
    },
    /// A case merged into itself.
    MergeSelf {
        /// The case.
        case: CaseNumber,
    },
    /// Open actions moved onto a closed case.
    MergeIntoClosed {
        /// The case to keep (closed or in aftercare).
        keep: CaseNumber,
        /// The case to merge into it.
        other: CaseNumber,
        /// Its open actions.
        open: usize,
    },
    /// A case merged away while a running conference has it on its agenda.
    MergeWhileRunning {
        /// The case.
        case: CaseNumber,
        /// The conference.
        conference: u32,
    },
    /// A record the rules needed was not read from the store first (a fault in casedesk).
    NotRead {
        /// The record.
        what: String,
    },
}

impl Localize for DomainError {
    fn localize(&self, lang: Lang) -> String {
        use DomainError::*;
        let ko = lang == Lang::Ko;
        match self {
            NotInitialised => {
                if ko {
                    "저장소가 아직 없습니다: 먼저 `casedesk init --office 이름`을 실행하세요".into()
                } else {
                    "the store is not set up yet: run `casedesk init --office NAME` first".into()
                }
            }
            AlreadyInitialised { office } => {
                if ko {
                    format!(
                        "이 저장소는 이미 '{office}'용으로 만들어져 있습니다: 새 저장소는 --db로 다른 디렉터리를 지정하세요"
                    )
                } else {
                    format!(
                        "this store is already set up for '{office}': give --db a new directory for a new store"
                    )
                }
            }
            UnknownTeam {
                input,
                valid,
                closest,
            } => {
                let near = closest
                    .iter()
                    .map(|(code, name_ko, name_en)| {
                        format!("{code} {}", if ko { name_ko } else { name_en })
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                match (ko, near.is_empty()) {
                    (true, true) => format!(
                        "'{input}'이라는 부서/기관이 없습니다: 다음 코드 중 하나를 쓰세요: {}",
                        valid.join(", ")
                    ),
                    (true, false) => format!(
                        "'{input}'이라는 부서/기관이 없습니다: 가장 가까운 것은 {near} — 코드: {}",
                        valid.join(", ")
                    ),
                    (false, true) => format!(
                        "there is no team '{input}': use one of {}",
                        valid.join(", ")
                    ),
                    (false, false) => format!(
                        "there is no team '{input}': the closest are {near} — codes: {}",
                        valid.join(", ")
                    ),
                }
            }
            TeamExists { code } => {
                if ko {
                    format!("{code} 코드의 부서/기관이 이미 있습니다: 다른 코드를 쓰세요")
                } else {
                    format!("a team with code {code} exists already: choose another code")
                }
            }
            BadTeamCode { input } => {
                if ko {
                    format!(
                        "'{input}'은(는) 부서 코드로 쓸 수 없습니다: 영문 대문자로 시작하는 영문·숫자·_ 16자 이내로 쓰세요 (예: WEE)"
                    )
                } else {
                    format!(
                        "'{input}' cannot be a team code: use up to 16 letters, digits or _, starting with a letter (e.g. WEE)"
                    )
                }
            }
            UnknownWord {
                vocab,
                input,
                valid,
            } => {
                let (k, e) = match vocab {
                    Vocab::Level => ("위기 수준", "crisis level"),
                    Vocab::Stage => ("단계", "stage"),
                    Vocab::Domain => ("어려움 영역", "difficulty domain"),
                    Vocab::Sex => ("성별", "sex"),
                    Vocab::ReferralStatus => ("의뢰 상태", "referral status"),
                    Vocab::ConsentKind => ("동의 종류", "kind of consent"),
                    Vocab::ConsentGiver => ("동의한 사람", "consent giver"),
                };
                if ko {
                    format!(
                        "'{input}'은(는) 알 수 없는 {k}입니다: {valid} 중 하나를 (한글 이름도 됩니다) 쓰세요"
                    )
                } else {
                    format!("'{input}' is not a {e}: use one of {valid} (or its Korean name)")
                }
            }
            UnknownCase { input } => {
                if ko {
                    format!(
                        "사례 '{input}'이(가) 없습니다: `casedesk case list --all`로 번호(YYYY-NNNN)를 확인하세요"
                    )
                } else {
                    format!(
                        "there is no case '{input}': see `casedesk case list --all` for the numbers (YYYY-NNNN)"
                    )
                }
            }
            UnknownAction { input } => {
                if ko {
                    format!(
                        "조치사항 '{input}'이(가) 없습니다: `casedesk action list --case 사례번호`로 번호(YYYY-NNNN/N)를 확인하세요"
                    )
                } else {
                    format!(
                        "there is no action '{input}': see `casedesk action list --case CASE` for the ids (YYYY-NNNN/N)"
                    )
                }
            }
            Empty { field } => {
                if ko {
                    format!(
                        "{}이(가) 비어 있습니다: 내용을 입력하세요",
                        field.label(lang)
                    )
                } else {
                    format!("the {} is empty: give some text", field.label(lang))
                }
            }
            TooLong { field, max } => {
                if ko {
                    format!(
                        "{}이(가) 너무 깁니다: {max}자 이내로 줄이세요",
                        field.label(lang)
                    )
                } else {
                    format!(
                        "the {} is too long: keep it to {max} characters",
                        field.label(lang)
                    )
                }
            }
            BadGrade { input } => {
                if ko {
                    format!(
                        "학년 '{input}'을(를) 읽을 수 없습니다: 1~6 사이 학년, 반은 '3-2'처럼 쓰세요"
                    )
                } else {
                    format!(
                        "cannot read the grade '{input}': give a grade from 1 to 6, with the class as in '3-2'"
                    )
                }
            }
            CaseClosed { case } => {
                if ko {
                    format!(
                        "사례 {case}는 종결되었습니다: 바꾸려면 먼저 `casedesk case reopen {case} --reason 사유`로 재개하세요"
                    )
                } else {
                    format!(
                        "case {case} is closed: reopen it first with `casedesk case reopen {case} --reason TEXT`"
                    )
                }
            }
            ClockOutOfRange { year } => {
                if ko {
                    format!(
                        "시계가 {year}년을 가리킵니다: casedesk는 1900~9999년만 다룹니다. 시스템 시계나 CASEDESK_NOW를 확인하세요"
                    )
                } else {
                    format!(
                        "the clock says the year {year}: casedesk keeps years 1900 to 9999; check the system clock or CASEDESK_NOW"
                    )
                }
            }
            ChangedSince { what } => {
                if ko {
                    format!(
                        "{what}이(가) 그 뒤에 다시 바뀌었습니다: 덮어쓰지 않도록 되돌리기를 하지 않았습니다"
                    )
                } else {
                    format!(
                        "{what} changed again since: the undo was not done, so as not to overwrite that"
                    )
                }
            }
            NothingToUndo => {
                if ko {
                    "되돌릴 변경이 없습니다: 이번 실행에서 저장한 변경만 되돌릴 수 있습니다".into()
                } else {
                    "there is nothing to undo: only a change saved in this session can be undone"
                        .into()
                }
            }
            AlreadyClosed { case, on } => {
                let on = on.map(|d| d.to_string()).unwrap_or_default();
                if ko {
                    format!("사례 {case}는 이미 종결되었습니다 ({on})")
                } else {
                    format!("case {case} is closed already ({on})")
                }
            }
            InAftercare { case } => {
                if ko {
                    format!(
                        "사례 {case}는 사후관리 중입니다: 확인 내용은 기록(note)과 점검일로 남기고, 조치·변경이 필요하면 `casedesk case reopen {case} --reason 사유`로 재개하세요"
                    )
                } else {
                    format!(
                        "case {case} is in aftercare: record check-ins as notes and review dates, or reopen it with `casedesk case reopen {case} --reason TEXT` to change it"
                    )
                }
            }
            TeamNameTaken { name, team } => {
                if ko {
                    format!(
                        "'{name}'은(는) 이미 {team}의 코드나 이름입니다: 헷갈리지 않게 다른 코드와 이름을 쓰세요"
                    )
                } else {
                    format!(
                        "'{name}' is already the code or a name of {team}: choose a code and names no other team answers to"
                    )
                }
            }
            DateTooFar { date, today } => {
                if ko {
                    format!(
                        "날짜 {date}은(는) 오늘({today})부터 3년도 더 뒤입니다: 날짜를 확인하세요"
                    )
                } else {
                    format!(
                        "the date {date} is more than three years after today ({today}): check the date"
                    )
                }
            }
            NoConsentToShare { case, team } => {
                if ko {
                    format!(
                        "{case}에는 {team}에 정보를 제공할 보호자 동의(제3자 제공)가 없습니다: 먼저 `casedesk consent add {case} --share {team} --on 날짜`로 동의를 기록하거나, 안전상 긴급한 경우 사유를 남기세요 (--without-consent 사유)"
                    )
                } else {
                    format!(
                        "{case} has no standing consent to share with {team}: record it first (`casedesk consent add {case} --share {team} --on DATE`), or in a safety emergency give the reason (--without-consent REASON)"
                    )
                }
            }
            ConsentNeedsAgency => {
                if ko {
                    "제3자 제공 동의에는 제공받는 기관이 필요합니다: 기관을 지정하세요 (--share 기관)"
                        .into()
                } else {
                    "a consent to share needs the agency it allows: name it (--share AGENCY)".into()
                }
            }
            ConsentAgencyNotSharing { team } => {
                if ko {
                    format!(
                        "수집·이용 동의에는 기관을 지정하지 않습니다({team}): 기관에 제공하는 동의는 제3자 제공 동의로 기록하세요"
                    )
                } else {
                    format!(
                        "a consent to collect and use names no agency ({team}): record sharing with an agency as a consent to share"
                    )
                }
            }
            ConsentForInternal { team } => {
                if ko {
                    format!(
                        "{team}은(는) 교육지원청 내부 부서입니다: 제3자 제공 동의는 외부 기관에 대해서만 기록합니다"
                    )
                } else {
                    format!(
                        "{team} is a department of the office: consent to share is recorded for outside agencies only"
                    )
                }
            }
            UnknownConsent { case, n, count } => {
                if ko {
                    format!(
                        "{case}에 {n}번 동의가 없습니다 (동의 {count}건): `casedesk consent list {case}`로 번호를 확인하세요"
                    )
                } else {
                    format!(
                        "{case} has no consent number {n} (it has {count}): see `casedesk consent list {case}` for the numbers"
                    )
                }
            }
            ConsentWithdrawn { case, n, on } => {
                if ko {
                    format!("{case}의 {n}번 동의는 이미 {on}에 철회되었습니다")
                } else {
                    format!("consent {n} of {case} was already withdrawn on {on}")
                }
            }
            WithdrawnBeforeGiven { date, given } => {
                if ko {
                    format!("철회일 {date}이(가) 동의일({given})보다 앞섭니다: 철회한 날을 주세요")
                } else {
                    format!(
                        "the day of withdrawal {date} is before the consent was given ({given}): give the day it was withdrawn"
                    )
                }
            }
            DuplicateStudent { matches } => {
                let list = |open: &str, closed: &str| {
                    matches
                        .iter()
                        .map(|(n, is_open)| {
                            format!("{n} ({})", if *is_open { open } else { closed })
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let closed = matches.iter().find(|(_, o)| !*o).map(|(n, _)| *n);
                // Registered twice already: say how to make them one.
                // The open one is kept (open actions never move onto a closed case).
                let keep = matches
                    .iter()
                    .find(|(_, open)| *open)
                    .or(matches.first())
                    .map(|(n, _)| *n);
                let other = matches.iter().map(|(n, _)| *n).find(|n| Some(*n) != keep);
                let two = keep.zip(other);
                if ko {
                    let merge = two
                        .map(|(a, b)| format!("; 이미 두 번 등록된 사례는 하나로 합치세요: `casedesk case merge {a} {b}`"))
                        .unwrap_or_default();
                    let reopen = closed
                        .map(|n| format!("; 종결된 사례는 다시 여세요: `casedesk case reopen {n} --reason 사유`"))
                        .unwrap_or_default();
                    format!(
                        "같은 학생의 사례가 이미 있습니다: {}{reopen}{merge}; 그래도 새로 등록하려면 --allow-duplicate (화면에서는 '중복 등록')",
                        list("진행", "종결")
                    )
                } else {
                    let merge = two
                        .map(|(a, b)| format!("; make the two already registered one: `casedesk case merge {a} {b}`"))
                        .unwrap_or_default();
                    let reopen = closed
                        .map(|n| format!("; reopen a closed one instead: `casedesk case reopen {n} --reason WHY`"))
                        .unwrap_or_default();
                    format!(
                        "a case for the same student exists: {}{reopen}{merge}; to register another anyway, give --allow-duplicate ('register anyway' in the form)",
                        list("open", "closed")
                    )
                }
            }
            UnknownBackground { input, valid } => {
                if ko {
                    format!("'{input}'은(는) 신청서의 배경 항목이 아닙니다: {valid} 중에서 쓰세요")
                } else {
                    format!(
                        "'{input}' is not a background item of the application form: use {valid}"
                    )
                }
            }
            ConsentInFuture { date, today } => {
                if ko {
                    format!(
                        "동의일 {date}이(가) 오늘({today})보다 뒤입니다: 동의를 받은 날을 주세요"
                    )
                } else {
                    format!(
                        "the consent date {date} is after today ({today}): give the day consent was given"
                    )
                }
            }
            ConsentBeforeBirth { date, birth } => {
                if ko {
                    format!(
                        "동의일 {date}이(가) 학생의 생년월일({birth})보다 앞섭니다: 동의를 받은 날을 주세요"
                    )
                } else {
                    format!(
                        "the consent date {date} is before the student was born ({birth}): give the day consent was given"
                    )
                }
            }
            BirthInFuture { date, today } => {
                if ko {
                    format!("생년월일 {date}이(가) 오늘({today})보다 뒤입니다: 날짜를 확인하세요")
                } else {
                    format!("the birth date {date} is after today ({today}): check the date")
                }
            }
            LeadMustBeInternal { team } => {
                if ko {
                    format!(
                        "{team}은(는) 외부 기관입니다: 주관부서는 교육지원청 내부 부서여야 합니다 (외부 기관은 --co로 협력기관에 넣으세요)"
                    )
                } else {
                    format!(
                        "{team} is an external agency: the lead team must be a department of the office (add agencies with --co)"
                    )
                }
            }
            LeadAlsoCooperating { team } => {
                if ko {
                    format!(
                        "{team}이(가) 주관부서이면서 협력부서로도 지정되었습니다: 한쪽만 지정하세요"
                    )
                } else {
                    format!("{team} is given as both the lead and a cooperating team: give it once")
                }
            }
            CloseWithReason { case } => {
                if ko {
                    format!("종결은 사유와 함께 하세요: `casedesk case close {case} --reason 사유`")
                } else {
                    format!(
                        "a case is closed with a reason: `casedesk case close {case} --reason TEXT`"
                    )
                }
            }
            ReopenWithReason { case } => {
                if ko {
                    format!(
                        "사례 {case}는 종결되었습니다: `casedesk case reopen {case} --reason 사유`로 재개하세요"
                    )
                } else {
                    format!(
                        "case {case} is closed: bring it back with `casedesk case reopen {case} --reason TEXT`"
                    )
                }
            }
            AftercareNeedsClosed { case, stage } => {
                if ko {
                    format!(
                        "사후관리는 종결 뒤에만 할 수 있습니다: 사례 {case}는 지금 {} 단계입니다",
                        stage.ko()
                    )
                } else {
                    format!(
                        "aftercare follows closure: case {case} is at {} now",
                        stage.en()
                    )
                }
            }
            SkipStage { case, from, next } => {
                if ko {
                    format!(
                        "단계는 하나씩 나아갑니다: 사례 {case}는 {} 단계이니 다음은 {}입니다 (건너뛰려면 확인하세요: --skip, 화면에서는 '단계 건너뛰기'; 진단이나 사례회의로는 되돌아갈 수 있습니다)",
                        from.ko(),
                        next.ko()
                    )
                } else {
                    format!(
                        "stages move forward one at a time: case {case} is at {}, so the next is {} (to skip stages, confirm it: --skip, or 'skip stages' in the form; going back to assessment or case conference is allowed)",
                        from.en(),
                        next.en()
                    )
                }
            }
            BackToIntake { case } => {
                if ko {
                    format!(
                        "사례 {case}를 접수 단계로 되돌릴 수 없습니다: 진단이나 사례회의 단계를 고르세요"
                    )
                } else {
                    format!(
                        "case {case} cannot go back to intake: choose assessment or case conference instead"
                    )
                }
            }
            NothingToChange { case } => {
                if ko {
                    format!(
                        "사례 {case}에서 바뀌는 것이 없습니다: --lead, --co, --level, --stage, --review 중 하나 이상을 다른 값으로 주세요"
                    )
                } else {
                    format!(
                        "nothing changes on case {case}: give --lead, --co, --level, --stage or --review with a new value"
                    )
                }
            }
            NothingToChangeAction { action } => {
                if ko {
                    format!(
                        "조치사항 {action}에서 바뀌는 것이 없습니다: --title, --team, --due, --person 중 하나 이상을 다른 값으로 주세요"
                    )
                } else {
                    format!(
                        "nothing changes on action {action}: give --title, --team, --due or --person with a new value"
                    )
                }
            }
            NothingToChangeConference { id } => {
                if ko {
                    format!("사례회의 {id}번에서 바뀌는 것이 없습니다")
                } else {
                    format!("nothing changes in conference {id}")
                }
            }
            Conference(problem) => problem.localize(lang),
            MergedCase { case, into } => {
                if ko {
                    format!(
                        "사례 {case}은(는) {into}에 병합되었습니다: {into}에 기록하세요 (`casedesk case show {into}`)"
                    )
                } else {
                    format!(
                        "case {case} was merged into {into}: record it on {into} (`casedesk case show {into}`)"
                    )
                }
            }
            MergeSelf { case } => {
                if ko {
                    format!("사례 {case}을(를) 자기 자신에 병합할 수 없습니다: 다른 사례 번호를 주세요")
                } else {
                    format!("case {case} cannot be merged into itself: give the other case's number")
                }
            }
            MergeIntoClosed { keep, other, open } => {
                if ko {
                    format!(
                        "사례 {keep}은(는) 종결(또는 사후관리)되어 {other}의 진행 중인 조치 {open}건을 옮길 수 없습니다: {keep}을(를) 먼저 다시 열거나 (`casedesk case reopen {keep} --reason 사유`), {other}을(를) 남기고 {keep}을(를) 병합하세요 (`casedesk case merge {other} {keep}`)"
                    )
                } else {
                    format!(
                        "case {keep} is closed (or in aftercare), so the {open} open action(s) of {other} cannot move onto it: reopen {keep} first (`casedesk case reopen {keep} --reason WHY`), or keep {other} and merge {keep} into it (`casedesk case merge {other} {keep}`)"
                    )
                }
            }
            MergeWhileRunning { case, conference } => {
                if ko {
                    format!(
                        "사례 {case}은(는) 진행 중인 사례회의 #{conference}의 안건입니다: 회의를 마친 뒤 병합하세요"
                    )
                } else {
                    format!(
                        "case {case} is on the agenda of conference #{conference}, which is running: merge it after the conference closes"
                    )
                }
            }
            NotRead { what } => {
                if ko {
                    format!(
                        "{what}을(를) 저장소에서 먼저 읽지 못했습니다 (casedesk의 결함): 아무것도 바꾸지 않았습니다; `casedesk check`를 실행하고 알려 주세요"
                    )
                } else {
                    format!(
                        "{what} was not read from the store first (a fault in casedesk): nothing was changed; run `casedesk check` and report it"
                    )
                }
            }
            NotClosed { case } => {
                if ko {
                    format!("사례 {case}는 종결되지 않았습니다: 재개할 필요가 없습니다")
                } else {
                    format!("case {case} is not closed: there is nothing to reopen")
                }
            }
            OpenActions { case, actions } => {
                let list = actions
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                if ko {
                    format!(
                        "사례 {case}에 진행 중인 조치사항이 있습니다 ({list}): 완료/취소하거나 --drop-open으로 함께 취소하세요"
                    )
                } else {
                    format!(
                        "case {case} still has open actions ({list}): mark them done or dropped, or add --drop-open to drop them with the closure"
                    )
                }
            }
            ActionNotOpen {
                action,
                status,
                on,
                by,
            } => {
                let on = on.map(|d| d.to_string()).unwrap_or_default();
                let by = by.as_deref().map(|b| format!(" · {b}")).unwrap_or_default();
                if ko {
                    format!(
                        "조치사항 {action}은(는) 이미 {}되었습니다 ({on}{by})",
                        status.ko()
                    )
                } else {
                    format!("action {action} is already {} ({on}{by})", status.en())
                }
            }
            NoSessions => lang
                .pick(
                    "회기가 없습니다: 회기 수와 요일을 주세요 (예: --sessions 8 --every 화)",
                    "no sessions: give their number and weekday (for example --sessions 8 --every tue)",
                )
                .to_string(),
            TooManySessions { max } => {
                if ko {
                    format!("회기는 {max}회까지입니다: 나누어 등록하세요")
                } else {
                    format!("at most {max} sessions: add the rest as another action")
                }
            }
            UnknownSession {
                action,
                session,
                sessions,
            } => {
                if *sessions == 0 {
                    if ko {
                        format!("조치사항 {action}은(는) 회기가 있는 조치가 아닙니다")
                    } else {
                        format!("action {action} has no sessions")
                    }
                } else if ko {
                    format!("조치사항 {action}에는 {session}회기가 없습니다: 1~{sessions}회기 중에서 주세요")
                } else {
                    format!("action {action} has no session {session}: give 1 to {sessions}")
                }
            }
            SessionAhead {
                action,
                session,
                on,
            } => {
                if ko {
                    format!("{action}의 {session}회기는 {on}입니다: 그날이 지나야 진행·결석을 기록합니다")
                } else {
                    format!("session {session} of {action} is on {on}: record it held or missed on or after that day")
                }
            }
            NotAReferral { action, team } => {
                if ko {
                    format!(
                        "조치사항 {action}은(는) 내부 부서 {team}의 일이라 의뢰(연계)가 아닙니다: 외부 기관의 조치에만 의뢰 상태를 기록합니다"
                    )
                } else {
                    format!(
                        "action {action} is owned by the internal team {team}, not an outside agency: only a referral has a referral status"
                    )
                }
            }
            ReferralBackwards { action, from, to } => {
                if ko {
                    format!(
                        "의뢰 {action}은(는) 이미 '{}' 상태라 '{}'(으)로 바꿀 수 없습니다: 의뢰 → 수락 → 진행 중 → 완료 순서로만 (거절은 언제든)",
                        from.ko(),
                        to.ko()
                    )
                } else {
                    format!(
                        "referral {action} is already {}, so it cannot become {}: it moves requested → accepted → in progress → finished (declined at any point)",
                        from.en(),
                        to.en()
                    )
                }
            }
            DueInPast { due, today } => {
                if ko {
                    format!(
                        "기한 {due}이(가) 오늘({today})보다 이전입니다: 오늘 이후 날짜를 주세요"
                    )
                } else {
                    format!(
                        "the due date {due} is before today ({today}): give today or a later date"
                    )
                }
            }
            ReviewInPast { date, today } => {
                if ko {
                    format!(
                        "점검일 {date}이(가) 오늘({today})보다 이전입니다: 오늘 이후 날짜를 주세요"
                    )
                } else {
                    format!(
                        "the review date {date} is before today ({today}): give today or a later date"
                    )
                }
            }
            BadAccount { input } => {
                if ko {
                    format!(
                        "'{input}'은(는) 계정 이름이 될 수 없습니다: 소문자·숫자·'.'·'_'·'-'로 32자까지 (예: wee.han)"
                    )
                } else {
                    format!(
                        "'{input}' cannot be an account name: lower-case letters, digits, '.', '_' and '-', up to 32 (e.g. wee.han)"
                    )
                }
            }
            UnknownUser { account } => {
                if ko {
                    format!(
                        "'{account}'은(는) 사용자가 아닙니다: `casedesk user list`로 확인하세요"
                    )
                } else {
                    format!("'{account}' is not a user: see `casedesk user list`")
                }
            }
            UserExists { account } => {
                if ko {
                    format!(
                        "'{account}'은(는) 이미 사용자입니다: 바꾸려면 `casedesk user set {account} …`"
                    )
                } else {
                    format!(
                        "'{account}' is a user already: change it with `casedesk user set {account} …`"
                    )
                }
            }
            DemoNeedsEmpty { cases } => {
                if ko {
                    format!(
                        "이 저장소는 실제 기관용이거나 이미 사례 {cases}건이 있습니다: 데모 데이터는 새 저장소에만 넣습니다 (--db로 새 디렉터리를 지정하세요)"
                    )
                } else {
                    format!(
                        "this store belongs to an office or already has {cases} cases: demo data goes only into a new store (give --db a new directory)"
                    )
                }
            }
            NothingToChangeUser { account } => {
                if ko {
                    format!(
                        "사용자 '{account}'에서 바뀌는 것이 없습니다: --role, --team, --name 중 하나 이상을 다른 값으로 주세요"
                    )
                } else {
                    format!(
                        "nothing changes for user '{account}': give --role, --team or --name with a new value"
                    )
                }
            }
            MemberNeedsTeam { account } => {
                if ko {
                    format!(
                        "부서 담당자 '{account}'에게는 부서가 하나 이상 있어야 합니다: --team WEE처럼 주세요"
                    )
                } else {
                    format!(
                        "team member '{account}' needs at least one team: give it with --team, e.g. --team WEE"
                    )
                }
            }
        }
    }
}
