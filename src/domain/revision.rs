//! Telling whether a record changed since someone read it: a short fingerprint of a record's
//! content (its revision), and which of its fields differ between two versions. Pure.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::command::{Command, Outcome};
use super::ids::{ActionId, CaseNumber};
use super::model::{Action, Case, Conference};
use crate::i18n::Lang;

/// A record someone read and may base a change on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RecordRef {
    /// A case.
    Case(CaseNumber),
    /// An action.
    Action(ActionId),
    /// A conference.
    Conference(u32),
}

impl RecordRef {
    /// The case the record belongs to, when it is a case's.
    pub fn case(&self) -> Option<CaseNumber> {
        match self {
            RecordRef::Case(n) => Some(*n),
            RecordRef::Action(id) => Some(id.case),
            RecordRef::Conference(_) => None,
        }
    }
}

impl std::fmt::Display for RecordRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordRef::Case(n) => write!(f, "{n}"),
            RecordRef::Action(id) => write!(f, "{id}"),
            RecordRef::Conference(id) => write!(f, "#{id}"),
        }
    }
}

/// A change asked for on the understanding that `record` is still at revision `rev`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expect {
    /// The record.
    pub record: RecordRef,
    /// Its revision as it was read.
    pub rev: String,
}

/// A part of a record that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordField {
    /// The student's details.
    Student,
    /// School and grade.
    School,
    /// Lead team or person in charge.
    Lead,
    /// Cooperating teams.
    CoTeams,
    /// Crisis level.
    Level,
    /// Stage.
    Stage,
    /// Next review date.
    Review,
    /// Difficulty domains.
    Domains,
    /// Guardian consent.
    Consent,
    /// Summary, flags, referral.
    Details,
    /// An action's title.
    Title,
    /// An action's owner team or person.
    Owner,
    /// An action's due date.
    Due,
    /// Open, done or dropped.
    Status,
    /// A conference's agenda.
    Agenda,
    /// A conference's attendance.
    Attendance,
    /// A conference's state or clock.
    Progress,
    /// Anything else.
    Other,
}

impl RecordField {
    /// The field in words.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ko, en) = match self {
            RecordField::Student => ("학생 정보", "student"),
            RecordField::School => ("학교·학년", "school"),
            RecordField::Lead => ("주관", "lead"),
            RecordField::CoTeams => ("협력", "cooperating teams"),
            RecordField::Level => ("위기 수준", "level"),
            RecordField::Stage => ("단계", "stage"),
            RecordField::Review => ("점검일", "review date"),
            RecordField::Domains => ("영역", "domains"),
            RecordField::Consent => ("동의", "consent"),
            RecordField::Details => ("요약·표시", "details"),
            RecordField::Title => ("내용", "title"),
            RecordField::Owner => ("담당", "owner"),
            RecordField::Due => ("기한", "due date"),
            RecordField::Status => ("상태", "status"),
            RecordField::Agenda => ("안건", "agenda"),
            RecordField::Attendance => ("참석", "attendance"),
            RecordField::Progress => ("진행", "progress"),
            RecordField::Other => ("기타", "other"),
        };
        lang.pick(ko, en)
    }
}

fn fingerprint<T: Serialize>(value: &T) -> String {
    // A record that cannot be written as JSON cannot have been read either: it gets no revision
    // anyone could hold, so any expectation of it fails safe.
    let Ok(bytes) = serde_json::to_vec(value) else {
        return String::new();
    };
    Sha256::digest(&bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A case's revision. Its counters do not count: adding a note or an action to a case does not
/// make someone else's edit of it stale.
pub fn case_rev(case: &Case) -> String {
    fingerprint(&Case {
        actions_made: 0,
        notes_made: 0,
        ..case.clone()
    })
}

/// An action's revision.
pub fn action_rev(action: &Action) -> String {
    fingerprint(action)
}

/// A conference's revision (the moment of its last entry aside).
pub fn conference_rev(conference: &Conference) -> String {
    fingerprint(&Conference {
        touched_at: conference.created_at,
        ..conference.clone()
    })
}

/// The parts of a case that differ between two versions.
pub fn case_fields(old: &Case, new: &Case) -> Vec<RecordField> {
    let mut out = Vec::new();
    let mut differs = |same: bool, field: RecordField| {
        if !same && !out.contains(&field) {
            out.push(field);
        }
    };
    differs(old.student == new.student, RecordField::Student);
    differs(
        old.school == new.school && old.grade == new.grade,
        RecordField::School,
    );
    differs(
        old.lead_team == new.lead_team && old.lead_person == new.lead_person,
        RecordField::Lead,
    );
    differs(old.co_teams == new.co_teams, RecordField::CoTeams);
    differs(old.level == new.level, RecordField::Level);
    differs(
        old.stage == new.stage && old.closed_on == new.closed_on,
        RecordField::Stage,
    );
    differs(old.review_on == new.review_on, RecordField::Review);
    differs(
        old.domains == new.domains && old.concerns == new.concerns,
        RecordField::Domains,
    );
    differs(old.consent == new.consent, RecordField::Consent);
    differs(
        old.summary == new.summary
            && old.urgent == new.urgent
            && old.safety == new.safety
            && old.referral_source == new.referral_source
            && old.referred_on == new.referred_on,
        RecordField::Details,
    );
    out
}

/// The parts of an action that differ between two versions.
pub fn action_fields(old: &Action, new: &Action) -> Vec<RecordField> {
    let mut out = Vec::new();
    if old.title != new.title {
        out.push(RecordField::Title);
    }
    if old.team != new.team || old.person != new.person {
        out.push(RecordField::Owner);
    }
    if old.due_on != new.due_on {
        out.push(RecordField::Due);
    }
    if old.status != new.status || old.result != new.result {
        out.push(RecordField::Status);
    }
    if old.referral != new.referral && old.status == new.status {
        out.push(RecordField::Status);
    }
    if old.sessions != new.sessions {
        out.push(RecordField::Progress);
    }
    if old.progress != new.progress {
        out.push(RecordField::Progress);
    }
    if out.is_empty() && old != new {
        out.push(RecordField::Other);
    }
    out
}

/// The parts of a conference that differ between two versions.
pub fn conference_fields(old: &Conference, new: &Conference) -> Vec<RecordField> {
    let mut out = Vec::new();
    let plan = |c: &Conference| {
        c.agenda
            .iter()
            .map(|i| (i.case, i.budget_minutes, i.decisions.len(), i.actions.len()))
            .collect::<Vec<_>>()
    };
    if plan(old) != plan(new) {
        out.push(RecordField::Agenda);
    }
    if old.attendees != new.attendees {
        out.push(RecordField::Attendance);
    }
    if old.state != new.state || old.current != new.current {
        out.push(RecordField::Progress);
    }
    if old.title != new.title
        || old.date != new.date
        || old.kind != new.kind
        || old.facilitator != new.facilitator
        || old.length_minutes != new.length_minutes
        || old.place != new.place
        || old.time != new.time
        || old.next != new.next
    {
        out.push(RecordField::Details);
    }
    if out.is_empty() && conference_rev(old) != conference_rev(new) {
        out.push(RecordField::Other);
    }
    out
}

/// What kind of change someone made, for telling others without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A case was registered.
    Registered,
    /// A case's fields changed.
    CaseChanged,
    /// A case was closed.
    Closed,
    /// A case was reopened.
    Reopened,
    /// An action was added.
    ActionAdded,
    /// An action was marked done.
    ActionDone,
    /// An action was dropped.
    ActionDropped,
    /// An action's title, owner or due date changed.
    ActionChanged,
    /// A note was written.
    NoteAdded,
    /// A conference was prepared, changed or run.
    Conference,
    /// A team or agency was added.
    Team,
    /// The users changed.
    Users,
    /// Progress was recorded on an action.
    ActionProgress,
    /// A referral's status changed.
    Referral,
    /// A change was undone.
    Undone,
    /// Another case was merged into this one.
    Merged,
    /// The store was set up, or an audit entry written.
    Other,
}

/// A change in a few words: what kind, and the record it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSummary {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The record it is about, when one.
    pub record: Option<RecordRef>,
}

impl ChangeSummary {
    /// The change in words: `2026-0003/2 완료`, `2026-0005 registered`.
    pub fn describe(&self, lang: Lang) -> String {
        let (ko, en) = match self.kind {
            ChangeKind::Registered => ("접수", "registered"),
            ChangeKind::CaseChanged => ("변경", "changed"),
            ChangeKind::Closed => ("종결", "closed"),
            ChangeKind::Reopened => ("재개", "reopened"),
            ChangeKind::ActionAdded => ("조치 추가", "action added"),
            ChangeKind::ActionDone => ("완료", "done"),
            ChangeKind::ActionDropped => ("취소", "dropped"),
            ChangeKind::ActionChanged => ("조치 변경", "action changed"),
            ChangeKind::NoteAdded => ("기록 추가", "note added"),
            ChangeKind::Conference => ("사례회의", "conference"),
            ChangeKind::Team => ("부서·기관 추가", "team added"),
            ChangeKind::Users => ("사용자 변경", "users changed"),
            ChangeKind::ActionProgress => ("경과 기록", "progress noted"),
            ChangeKind::Referral => ("의뢰 상태 변경", "referral updated"),
            ChangeKind::Undone => ("되돌림", "undone"),
            ChangeKind::Merged => ("병합", "merged"),
            ChangeKind::Other => ("변경", "change"),
        };
        let word = lang.pick(ko, en);
        match self.record {
            Some(record) => format!("{record} {word}"),
            None => word.to_string(),
        }
    }
}

/// What `cmd`, which assigned `outcome`, was about.
pub fn summarize(cmd: &Command, outcome: &Outcome) -> ChangeSummary {
    use Command as C;
    let (kind, record) = match (cmd, outcome) {
        (C::CreateCase { .. }, Outcome::Case { number }) => {
            (ChangeKind::Registered, Some(RecordRef::Case(*number)))
        }
        (C::UpdateCase { case, .. }, _) => (ChangeKind::CaseChanged, Some(RecordRef::Case(*case))),
        (C::CloseCase { case, .. }, _) => (ChangeKind::Closed, Some(RecordRef::Case(*case))),
        (C::ReopenCase { case, .. }, _) => (ChangeKind::Reopened, Some(RecordRef::Case(*case))),
        (C::AddAction { .. }, Outcome::Action { id }) => {
            (ChangeKind::ActionAdded, Some(RecordRef::Action(*id)))
        }
        (C::CompleteAction { action, .. }, _) => {
            (ChangeKind::ActionDone, Some(RecordRef::Action(*action)))
        }
        (C::DropAction { action, .. }, _) => {
            (ChangeKind::ActionDropped, Some(RecordRef::Action(*action)))
        }
        (C::AddRecurringAction { .. }, Outcome::Action { id }) => {
            (ChangeKind::ActionAdded, Some(RecordRef::Action(*id)))
        }
        (C::MarkSession { action, .. }, _) => {
            (ChangeKind::ActionProgress, Some(RecordRef::Action(*action)))
        }
        (C::NoteAction { action, .. }, _) => {
            (ChangeKind::ActionProgress, Some(RecordRef::Action(*action)))
        }
        (C::SetReferral { action, .. }, _) => {
            (ChangeKind::Referral, Some(RecordRef::Action(*action)))
        }
        (C::UpdateAction { action, .. }, _) => {
            (ChangeKind::ActionChanged, Some(RecordRef::Action(*action)))
        }
        (C::AddNote { case, .. }, _) => (ChangeKind::NoteAdded, Some(RecordRef::Case(*case))),
        (C::CreateConference { .. }, Outcome::Conference { id }) => {
            (ChangeKind::Conference, Some(RecordRef::Conference(*id)))
        }
        (
            C::UpdateConference { conference, .. }
            | C::AddAttendee { conference, .. }
            | C::StartConference { conference }
            | C::OpenItem { conference, .. }
            | C::RecordDecision { conference, .. }
            | C::DeferItem { conference, .. }
            | C::PauseConference { conference }
            | C::ResumeConference { conference }
            | C::CloseConference { conference }
            | C::AmendConference { conference, .. },
            _,
        ) => (
            ChangeKind::Conference,
            Some(RecordRef::Conference(*conference)),
        ),
        (C::MergeCases { keep, .. }, _) => (ChangeKind::Merged, Some(RecordRef::Case(*keep))),
        (C::AddTeam { .. }, _) => (ChangeKind::Team, None),
        (C::AddUser { .. } | C::SetUser { .. } | C::RemoveUser { .. }, _) => {
            (ChangeKind::Users, None)
        }
        (C::Revert { revert }, _) => {
            let record = revert
                .actions
                .first()
                .map(|a| RecordRef::Action(a.after.id))
                .or_else(|| {
                    revert
                        .cases
                        .first()
                        .map(|c| RecordRef::Case(c.after.number))
                });
            (ChangeKind::Undone, record)
        }
        _ => (ChangeKind::Other, None),
    };
    ChangeSummary { kind, record }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_is_stable_and_short() {
        let rev = fingerprint(&("a", 1));
        assert_eq!(rev, fingerprint(&("a", 1)));
        assert_ne!(rev, fingerprint(&("a", 2)));
        assert_eq!(rev.len(), 16);
    }
}
