//! Why a conference command was refused, in words a coordinator can act on; pure.

use chrono::NaiveDate;

use crate::domain::ids::{CaseNumber, TeamCode};
use crate::domain::limits::{MAX_AGENDA_ITEMS, MAX_BUDGET_MINUTES, MAX_CONFERENCE_MINUTES};
use crate::domain::model::ConferenceState;
use crate::domain::vocab::Stage;
use crate::i18n::{Lang, Localize};

/// Why a conference command was refused.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConferenceProblem {
    /// No conference has that number.
    Unknown {
        /// What was asked for.
        id: u32,
    },
    /// The conference is closed: read-only, corrections are amendments.
    Closed {
        /// The conference.
        id: u32,
    },
    /// The command needs a running conference.
    NotRunning {
        /// The conference.
        id: u32,
        /// Where it is.
        state: ConferenceState,
    },
    /// Starting needs a planned conference.
    NotPlanned {
        /// The conference.
        id: u32,
        /// Where it is.
        state: ConferenceState,
    },
    /// Another conference is running already.
    OtherRunning {
        /// The running one.
        id: u32,
    },
    /// Amending needs a closed conference.
    NotClosed {
        /// The conference.
        id: u32,
    },
    /// A conference with nothing on its agenda cannot start.
    EmptyAgenda {
        /// The conference.
        id: u32,
    },
    /// The case is not on the conference's agenda.
    NotOnAgenda {
        /// The conference.
        id: u32,
        /// The case.
        case: CaseNumber,
    },
    /// The same case twice on one agenda.
    TwiceOnAgenda {
        /// The case.
        case: CaseNumber,
    },
    /// A closed case (or one in aftercare) cannot be put on an agenda.
    CaseNotOpen {
        /// The case.
        case: CaseNumber,
        /// Its stage.
        stage: Stage,
    },
    /// A time budget out of range.
    BadBudget {
        /// The case.
        case: CaseNumber,
        /// The minutes asked for.
        minutes: u16,
    },
    /// An item the running conference already recorded something on cannot be dropped.
    ItemHasRecord {
        /// The case.
        case: CaseNumber,
    },
    /// The same person (or unnamed seat) twice in the attendance.
    TwiceAttending {
        /// Who: the team's code, or the role.
        who: String,
    },
    /// Too many items.
    TooManyItems {
        /// How many were asked for.
        count: usize,
    },
    /// A conference day more than a year back.
    TooLongAgo {
        /// The day given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// The clock is stopped already.
    ClockStopped {
        /// The conference.
        id: u32,
    },
    /// Someone listed for a team or agency without saying which.
    AttendeeWithoutTeam,
    /// A conference length out of range.
    BadLength {
        /// The minutes asked for.
        minutes: u16,
    },
    /// The next conference set on or before this one's day.
    NextNotAfter {
        /// The day given for the next one.
        next: NaiveDate,
        /// This conference's day.
        date: NaiveDate,
    },
    /// An agency added with an attendee who is not for it.
    NewTeamNotAttending {
        /// The new agency.
        team: TeamCode,
    },
}

impl Localize for ConferenceProblem {
    fn localize(&self, lang: Lang) -> String {
        use ConferenceProblem::*;
        let ko = lang == Lang::Ko;
        match self {
            Unknown { id } => {
                if ko {
                    format!(
                        "사례회의 {id}번이 없습니다: `casedesk conference list`로 번호를 확인하세요"
                    )
                } else {
                    format!(
                        "there is no conference {id}: see `casedesk conference list` for the numbers"
                    )
                }
            }
            Closed { id } => {
                if ko {
                    format!(
                        "사례회의 {id}번은 끝나서 고칠 수 없습니다: 정정은 `casedesk conference amend {id} \"…\"`로 덧붙이세요"
                    )
                } else {
                    format!(
                        "conference {id} is closed and read-only: add a correction with `casedesk conference amend {id} \"…\"`"
                    )
                }
            }
            NotRunning { id, state } => {
                if ko {
                    format!(
                        "사례회의 {id}번이 진행 중이 아닙니다 ({}): 먼저 회의를 시작하세요",
                        state.label(lang)
                    )
                } else {
                    format!(
                        "conference {id} is not running ({}): start it first",
                        state.label(lang)
                    )
                }
            }
            NotPlanned { id, state } => {
                if ko {
                    format!(
                        "사례회의 {id}번은 이미 {}: 준비 중인 회의만 시작할 수 있습니다",
                        state.label(lang)
                    )
                } else {
                    format!(
                        "conference {id} is {} already: only a planned conference can start",
                        state.label(lang)
                    )
                }
            }
            OtherRunning { id } => {
                if ko {
                    format!("사례회의 {id}번이 진행 중입니다: 그 회의를 먼저 마치세요")
                } else {
                    format!("conference {id} is running: close it first")
                }
            }
            NotClosed { id } => {
                if ko {
                    format!(
                        "사례회의 {id}번은 아직 끝나지 않았습니다: 정정은 끝난 회의에만 덧붙입니다"
                    )
                } else {
                    format!(
                        "conference {id} is not closed: corrections are added to closed conferences only"
                    )
                }
            }
            EmptyAgenda { id } => {
                if ko {
                    format!("사례회의 {id}번의 안건이 비어 있습니다: 사례를 먼저 추가하세요")
                } else {
                    format!("conference {id} has nothing on its agenda: add a case first")
                }
            }
            NotOnAgenda { id, case } => {
                if ko {
                    format!("사례 {case}는 사례회의 {id}번의 안건에 없습니다")
                } else {
                    format!("case {case} is not on conference {id}'s agenda")
                }
            }
            TwiceOnAgenda { case } => {
                if ko {
                    format!("사례 {case}가 안건에 두 번 있습니다")
                } else {
                    format!("case {case} is on the agenda twice")
                }
            }
            CaseNotOpen { case, stage } => {
                if ko {
                    format!(
                        "사례 {case}는 {} 상태라 안건에 올릴 수 없습니다: 먼저 재개하세요",
                        stage.ko()
                    )
                } else {
                    format!(
                        "case {case} is at {} and cannot go on an agenda: reopen it first",
                        stage.en()
                    )
                }
            }
            BadBudget { case, minutes } => {
                if ko {
                    format!(
                        "사례 {case}의 배정 시간 {minutes}분은 쓸 수 없습니다: 1~{MAX_BUDGET_MINUTES}분으로 정하세요"
                    )
                } else {
                    format!(
                        "{minutes} minutes for case {case} cannot be used: give 1 to {MAX_BUDGET_MINUTES} minutes"
                    )
                }
            }
            ItemHasRecord { case } => {
                if ko {
                    format!(
                        "사례 {case}는 이미 논의 기록이 있어 안건에서 뺄 수 없습니다: 보류(f)하세요"
                    )
                } else {
                    format!(
                        "case {case} already has a record in this conference and cannot be dropped: defer it (f)"
                    )
                }
            }
            TwiceAttending { who } => {
                if ko {
                    format!("참석자 명단에 {who}의 같은 사람이 두 번 있습니다")
                } else {
                    format!("the same person ({who}) is on the attendance twice")
                }
            }
            TooManyItems { count } => {
                if ko {
                    format!(
                        "안건 {count}건은 너무 많습니다: 한 회의에 {MAX_AGENDA_ITEMS}건까지입니다"
                    )
                } else {
                    format!(
                        "{count} agenda items are too many: a conference holds up to {MAX_AGENDA_ITEMS}"
                    )
                }
            }
            TooLongAgo { date, today } => {
                if ko {
                    format!(
                        "회의 날짜 {date}는 오늘({today})보다 1년 넘게 전입니다: 날짜를 확인하세요"
                    )
                } else {
                    format!(
                        "the conference day {date} is more than a year before today ({today}): check the date"
                    )
                }
            }
            ClockStopped { id } => {
                if ko {
                    format!("사례회의 {id}번의 시계는 이미 멈춰 있습니다")
                } else {
                    format!("conference {id}'s clock is stopped already")
                }
            }
            AttendeeWithoutTeam => {
                if ko {
                    "부서·기관 참석자는 어느 부서·기관인지 정해야 합니다: 부서를 고르거나 역할을 바꾸세요 (담임, 보호자 …)".to_string()
                } else {
                    "someone attending for a team or agency needs the team: choose one, or another role (homeroom teacher, guardian …)".to_string()
                }
            }
            BadLength { minutes } => {
                if ko {
                    format!(
                        "회의 시간 {minutes}분은 쓸 수 없습니다: 1~{MAX_CONFERENCE_MINUTES}분으로 정하세요"
                    )
                } else {
                    format!(
                        "a conference of {minutes} minutes cannot be planned: give 1 to {MAX_CONFERENCE_MINUTES} minutes"
                    )
                }
            }
            NextNotAfter { next, date } => {
                if ko {
                    format!("다음 회의 날짜 {next}는 이 회의({date})보다 뒤여야 합니다")
                } else {
                    format!("the next conference ({next}) must come after this one ({date})")
                }
            }
            NewTeamNotAttending { team } => {
                if ko {
                    format!("새 기관 {team}을 추가하려면 참석자가 그 기관 소속이어야 합니다")
                } else {
                    format!("the new agency {team} is added with someone attending for it")
                }
            }
        }
    }
}
