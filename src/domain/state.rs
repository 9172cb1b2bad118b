//! The records in memory and the rules that decide every command against them: `execute` checks
//! a command and works out its changes, `commit` takes them in; pure, no IO, no clock.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::command::{
    ActionUpdate, Before, CaseUpdate, Changes, Command, Ctx, NewCase, NewConsent, Outcome, Revert,
    SharingCheck,
};
use super::error::{DomainError, Field, Vocab};
use super::ids::{ActionId, CaseNumber, TeamCode};
use super::input::{optional, required};
use super::limits;
use super::model::{
    Action, Case, Change, Conference, ConferenceState, Consent, ConsentRecord, Counters, Grade,
    Note, Office, Progress, ReferralStep, Session, SessionMark, Team, User,
};
use super::vocab::{
    ActionStatus, Concern, ConsentKind, DifficultyDomain, Level, NoteKind, ReferralStatus, Sex,
    Stage, TeamKind, fold,
};
use crate::i18n::Lang;

/// The records in memory: the office, the teams, every case and every open action — and any
/// finished action read since. Notes and finished actions stay in the store until needed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// The office; `None` until the store is set up.
    pub office: Option<Office>,
    /// Teams by code.
    pub teams: BTreeMap<TeamCode, Team>,
    /// Cases by number.
    pub cases: BTreeMap<CaseNumber, Case>,
    /// Open actions (and finished ones read since) by id, so a case's actions are adjacent.
    pub actions: BTreeMap<ActionId, Action>,
    /// The last case number given out per year.
    pub counters: Counters,
    /// Conferences by number.
    pub conferences: BTreeMap<u32, Conference>,
    /// The people who may use the store, by account.
    pub users: BTreeMap<String, User>,
    /// The team that owns every action, finished ones too (who may see a case follows it).
    pub action_teams: BTreeMap<ActionId, TeamCode>,
}

impl State {
    /// Builds the state from stored records. Counters never fall below the cases that exist
    /// (a store written before counters were kept has none).
    pub fn from_records(
        office: Option<Office>,
        counters: Option<Counters>,
        teams: impl IntoIterator<Item = Team>,
        cases: impl IntoIterator<Item = Case>,
        actions: impl IntoIterator<Item = Action>,
    ) -> State {
        let mut state = State {
            office,
            teams: teams.into_iter().map(|t| (t.code.clone(), t)).collect(),
            cases: cases.into_iter().map(|c| (c.number, c)).collect(),
            actions: actions.into_iter().map(|a| (a.id, a)).collect(),
            counters: counters.unwrap_or_default(),
            conferences: BTreeMap::new(),
            users: BTreeMap::new(),
            action_teams: BTreeMap::new(),
        };
        state.action_teams = state
            .actions
            .values()
            .map(|a| (a.id, a.team.clone()))
            .collect();
        for number in state.cases.keys() {
            let last = state.counters.cases.entry(number.year).or_insert(0);
            *last = (*last).max(number.seq);
        }
        state
    }

    /// Takes in the changes `execute` worked out.
    pub fn commit(&mut self, changes: Changes) {
        if let Some(office) = changes.office {
            self.office = Some(office);
        }
        if let Some(counters) = changes.counters {
            self.counters = counters;
        }
        for team in changes.teams {
            self.teams.insert(team.code.clone(), team);
        }
        for case in changes.cases {
            self.cases.insert(case.number, case);
        }
        for action in changes.actions {
            self.action_teams.insert(action.id, action.team.clone());
            self.actions.insert(action.id, action);
        }
        for number in changes.removed_cases {
            self.cases.remove(&number);
        }
        for id in changes.removed_actions {
            self.actions.remove(&id);
            self.action_teams.remove(&id);
        }
        for conference in changes.conferences {
            self.conferences.insert(conference.id, conference);
        }
        for id in changes.removed_conferences {
            self.conferences.remove(&id);
        }
        for user in changes.users {
            self.users.insert(user.account.clone(), user);
        }
        for account in changes.removed_users {
            self.users.remove(&account);
        }
    }

    /// Takes in the users read from the store.
    pub fn set_users(&mut self, users: impl IntoIterator<Item = User>) {
        self.users = users.into_iter().map(|u| (u.account.clone(), u)).collect();
    }

    /// Takes in the owner team of every action (finished ones too), read from the store.
    pub fn set_action_teams(&mut self, owners: impl IntoIterator<Item = (ActionId, TeamCode)>) {
        self.action_teams.extend(owners);
    }

    /// True when `team` owns or owned an action on the case.
    pub fn owes_on(&self, case: CaseNumber, team: &TeamCode) -> bool {
        self.action_teams
            .range(ActionId { case, n: 0 }..=ActionId { case, n: u32::MAX })
            .any(|(_, t)| t == team)
    }

    /// Takes in the conferences read from the store; the counter never falls below them.
    pub fn set_conferences(&mut self, conferences: impl IntoIterator<Item = Conference>) {
        self.conferences = conferences.into_iter().map(|c| (c.id, c)).collect();
        if let Some(last) = self.conferences.keys().next_back() {
            self.counters.conferences = self.counters.conferences.max(*last);
        }
    }

    /// The records `changes` touches, as they are now (before it is committed): what a change
    /// replaced, for telling others what changed.
    pub fn previous_of(&self, changes: &Changes) -> Changes {
        let cases = changes
            .cases
            .iter()
            .map(|c| c.number)
            .chain(changes.removed_cases.iter().copied())
            .filter_map(|n| self.cases.get(&n).cloned())
            .collect();
        let actions = changes
            .actions
            .iter()
            .map(|a| a.id)
            .chain(changes.removed_actions.iter().copied())
            .filter_map(|id| self.actions.get(&id).cloned())
            .collect();
        let conferences = changes
            .conferences
            .iter()
            .map(|c| c.id)
            .chain(changes.removed_conferences.iter().copied())
            .filter_map(|id| self.conferences.get(&id).cloned())
            .collect();
        Changes {
            cases,
            actions,
            conferences,
            ..Changes::default()
        }
    }

    /// The command that would undo `changes` (worked out by `execute` against this state, not
    /// yet committed), when it can be undone: changes to the office or teams cannot.
    pub fn undo_for(&self, changes: &Changes, seq: u64) -> Option<Command> {
        // A closed conference is read-only: neither its closing nor a correction added to it is
        // taken back. Changes to the office or teams cannot be undone; a change of nothing (an
        // audit entry) has nothing to undo.
        // (A merge re-points a closed conference's item to the kept case: that is undone with it.)
        let closes = changes.conferences.iter().any(|c| {
            c.state == ConferenceState::Closed
                && self.conferences.get(&c.id).is_none_or(|old| {
                    old.state != ConferenceState::Closed
                        || old.amendments.len() != c.amendments.len()
                })
        });
        if changes.office.is_some()
            || !changes.teams.is_empty()
            || !changes.users.is_empty()
            || !changes.removed_users.is_empty()
            || closes
            || *changes == Changes::default()
        {
            return None;
        }
        let cases = changes
            .cases
            .iter()
            .map(|c| Before {
                before: self.cases.get(&c.number).cloned(),
                after: c.clone(),
            })
            .collect();
        let actions = changes
            .actions
            .iter()
            .map(|a| Before {
                before: self.actions.get(&a.id).cloned(),
                after: a.clone(),
            })
            .collect();
        Some(Command::Revert {
            revert: Revert {
                seq,
                cases,
                actions,
                notes: changes.notes.clone(),
                removed_actions: changes
                    .removed_actions
                    .iter()
                    .filter_map(|id| self.actions.get(id).cloned())
                    .collect(),
                conferences: changes
                    .conferences
                    .iter()
                    .map(|c| Before {
                        before: self.conferences.get(&c.id).cloned(),
                        after: c.clone(),
                    })
                    .collect(),
            },
        })
    }

    // ---- lookups that turn what people type into records ----

    /// The team with this code, Korean name or English name.
    pub fn resolve_team(&self, input: &str) -> Result<TeamCode, DomainError> {
        let wanted = fold(input);
        if let Some(code) = TeamCode::new(input)
            && self.teams.contains_key(&code)
        {
            return Ok(code);
        }
        let found = self.teams.values().find(|t| {
            fold(t.code.as_str()) == wanted
                || fold(&t.name_ko) == wanted
                || fold(&t.name_en) == wanted
        });
        match found {
            Some(team) if !wanted.is_empty() => Ok(team.code.clone()),
            // The student's own school, where the office has no team of that name.
            _ if matches!(wanted.as_str(), "school" | "학교" | "담임") => {
                Ok(TeamCode::school())
            }
            _ => Err(self.unknown_team(input)),
        }
    }

    /// Several teams separated by commas; empty parts are ignored.
    pub fn resolve_teams(&self, input: &str) -> Result<Vec<TeamCode>, DomainError> {
        input
            .split([',', '，'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| self.resolve_team(part))
            .collect()
    }

    fn unknown_team(&self, input: &str) -> DomainError {
        let wanted = fold(input);
        // Closest first: a name that contains what was typed (or is contained in it), then by
        // spelling; ties keep the teams' order.
        let mut ranked: Vec<(bool, f64, &crate::domain::Team)> = self
            .teams
            .values()
            .map(|t| {
                let names = [fold(t.code.as_str()), fold(&t.name_ko), fold(&t.name_en)];
                let related = !wanted.is_empty()
                    && names
                        .iter()
                        .any(|n| !n.is_empty() && (n.contains(&wanted) || wanted.contains(n)));
                let similarity = names
                    .iter()
                    .map(|n| strsim::normalized_levenshtein(&wanted, n))
                    .fold(0.0, f64::max);
                (related, similarity, t)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
        let closest = ranked
            .iter()
            .filter(|(related, similarity, _)| *related || *similarity > 0.0)
            .take(3)
            .map(|(_, _, t)| (t.code.to_string(), t.name_ko.clone(), t.name_en.clone()))
            .collect();
        DomainError::UnknownTeam {
            input: input.trim().to_string(),
            valid: ranked.iter().map(|(_, _, t)| t.code.to_string()).collect(),
            closest,
        }
    }

    /// The case with this number.
    pub fn find_case(&self, input: &str) -> Result<&Case, DomainError> {
        let unknown = || DomainError::UnknownCase {
            input: input.trim().to_string(),
        };
        let number: CaseNumber = input.parse().map_err(|_| unknown())?;
        self.cases.get(&number).ok_or_else(unknown)
    }

    /// The action with this id.
    pub fn find_action(&self, input: &str) -> Result<&Action, DomainError> {
        let id: ActionId = input.parse().map_err(|_| DomainError::UnknownAction {
            input: input.trim().to_string(),
        })?;
        self.actions.get(&id).ok_or_else(|| self.no_action(id))
    }

    /// Why there is no action `id`: its case was merged into another (where it went), or there
    /// is none.
    fn no_action(&self, id: ActionId) -> DomainError {
        match self.cases.get(&id.case).and_then(|c| c.merged_into) {
            Some(_) => DomainError::MergedCase {
                case: id.case,
                into: self.merge_target(id.case),
            },
            None => DomainError::UnknownAction {
                input: id.to_string(),
            },
        }
    }

    /// A case's actions in memory, in order: all its open ones (finished ones may be missing).
    pub fn actions_of(&self, case: CaseNumber) -> impl Iterator<Item = &Action> {
        self.actions
            .range(ActionId { case, n: 0 }..=ActionId { case, n: u32::MAX })
            .map(|(_, a)| a)
    }

    /// The outside agencies that own an open action on the case without a standing consent to
    /// share with them on `today` (given in an emergency, or since withdrawn), each once.
    pub fn unconsented_agencies(&self, case: CaseNumber, today: NaiveDate) -> Vec<TeamCode> {
        let Some(c) = self.cases.get(&case) else {
            return Vec::new();
        };
        let mut out: Vec<TeamCode> = Vec::new();
        for action in self.actions_of(case).filter(|a| a.is_open()) {
            let external = self
                .teams
                .get(&action.team)
                .is_some_and(|t| t.kind == TeamKind::External);
            if external
                && !c.consent.may_share_with(&action.team, today)
                && !out.contains(&action.team)
            {
                out.push(action.team.clone());
            }
        }
        out
    }

    /// The cases of the same student, open or closed: the same name (spacing and case aside)
    /// and birth date, or the same name, school and grade. A case merged into another is not
    /// one of them (the one it points to is).
    pub fn same_student(
        &self,
        name: &str,
        birth_on: Option<NaiveDate>,
        school: &str,
        grade_year: u8,
    ) -> Vec<CaseNumber> {
        let name = fold(name);
        let school = fold(school);
        self.cases
            .values()
            .filter(|c| c.merged_into.is_none() && fold(&c.student.name) == name)
            .filter(|c| {
                (birth_on.is_some() && c.student.birth_on == birth_on)
                    || (fold(&c.school) == school && c.grade.year == grade_year)
            })
            .map(|c| c.number)
            .collect()
    }

    /// The earliest due date among a case's open actions.
    pub fn next_due(&self, case: CaseNumber) -> Option<NaiveDate> {
        self.actions_of(case)
            .filter(|a| a.is_open())
            .map(|a| a.due_on)
            .min()
    }

    /// The student of a case as a screen or a file may show them: masked unless `masked` is
    /// false; `-` for a case that is not there.
    pub fn student_label(&self, case: CaseNumber, masked: bool) -> String {
        match self.cases.get(&case) {
            Some(c) if masked => super::masking::mask_name(&c.student.name),
            Some(c) => c.student.name.clone(),
            None => "-".into(),
        }
    }

    /// Free text about a case (a decision, an action's title, a note) with the student's name
    /// masked in it when `masked`.
    pub fn case_text(&self, case: Option<CaseNumber>, text: &str, masked: bool) -> String {
        match case.and_then(|c| self.cases.get(&c)) {
            Some(c) if masked => super::masking::mask_in(text, &c.student.name),
            _ => text.to_string(),
        }
    }

    /// Who owns an action on `case`, in words: the team's name, or for the student's own school
    /// the school's name.
    pub fn owner_label(&self, case: CaseNumber, team: &TeamCode) -> String {
        match (self.teams.get(team), self.cases.get(&case)) {
            (None, Some(c)) if team.is_school() => c.school.clone(),
            _ => team.to_string(),
        }
    }

    /// The team's record, when the code is known.
    pub fn team(&self, code: &TeamCode) -> Option<&Team> {
        self.teams.get(code)
    }

    // ---- the rules ----

    /// Checks `cmd` against the records as they are and works out what it changes. Refuses
    /// with a reason and changes nothing when a rule is broken.
    pub fn execute(&self, cmd: &Command, ctx: &Ctx) -> Result<(Outcome, Changes), DomainError> {
        if !matches!(cmd, Command::InitStore { .. }) && self.office.is_none() {
            return Err(DomainError::NotInitialised);
        }
        match cmd {
            Command::InitStore {
                office,
                teams,
                demo,
            } => self.init_store(office, teams, *demo, ctx),
            Command::AddTeam { team } => self.add_team(team),
            Command::CreateCase { case } => self.create_case(case, ctx),
            Command::UpdateCase {
                case,
                change,
                conference,
            } => self.update_case(*case, change, *conference, ctx),
            Command::CloseCase {
                case,
                reason,
                drop_open,
            } => self.close_case(*case, reason, *drop_open, ctx),
            Command::ReopenCase { case, reason } => self.reopen_case(*case, reason, ctx),
            Command::AddAction {
                case,
                title,
                team,
                due_on,
                person,
                conference,
                sharing,
            } => self.add_action(
                *case,
                title,
                team,
                *due_on,
                person.as_deref(),
                *conference,
                sharing,
                ctx,
            ),
            Command::CompleteAction { action, note } => {
                self.finish_action(*action, ActionStatus::Done, note.as_deref(), ctx)
            }
            Command::NoteAction { action, text } => self.note_action(*action, text, ctx),
            Command::AddRecurringAction {
                case,
                title,
                team,
                sessions,
                person,
                conference,
                sharing,
            } => {
                // Sessions in order, each once, no more than a school year's worth.
                let mut days = sessions.clone();
                days.sort();
                days.dedup();
                let (Some(first), Some(last)) = (days.first().copied(), days.last().copied())
                else {
                    return Err(DomainError::NoSessions);
                };
                if days.len() > limits::MAX_SESSIONS {
                    return Err(DomainError::TooManySessions {
                        max: limits::MAX_SESSIONS,
                    });
                }
                not_too_far(last, ctx.today())?;
                let (outcome, mut changes) = self.add_action(
                    *case,
                    title,
                    team,
                    first,
                    person.as_deref(),
                    *conference,
                    sharing,
                    ctx,
                )?;
                if let Some(action) = changes.actions.first_mut() {
                    action.sessions = days
                        .into_iter()
                        .map(|on| Session { on, mark: None })
                        .collect();
                }
                Ok((outcome, changes))
            }
            Command::MarkSession {
                action,
                session,
                held,
            } => self.mark_session(*action, *session, *held, ctx),
            Command::SetReferral {
                action,
                status,
                reason,
            } => self.set_referral(*action, *status, reason.as_deref(), ctx),
            Command::DropAction { action, reason } => {
                self.finish_action(*action, ActionStatus::Dropped, Some(reason), ctx)
            }
            Command::UpdateAction { action, change } => self.update_action(*action, change, ctx),
            Command::Revert { revert } => self.revert(revert),
            Command::AddNote {
                case,
                kind,
                text,
                restricted,
            } => self.add_note(*case, *kind, text, *restricted, ctx),
            Command::CreateConference { conference } => self.create_conference(conference, ctx),
            Command::UpdateConference { conference, change } => {
                self.update_conference(*conference, change, ctx)
            }
            Command::AddAttendee {
                conference,
                attendee,
                new_team,
            } => self.add_attendee(*conference, attendee, new_team.as_ref(), ctx),
            Command::StartConference { conference } => self.start_conference(*conference, ctx),
            Command::OpenItem { conference, case } => self.open_item(*conference, *case, ctx),
            Command::RecordDecision {
                conference,
                case,
                text,
            } => self.record_decision(*conference, *case, text, ctx),
            Command::DeferItem { conference, case } => self.defer_item(*conference, *case, ctx),
            Command::PauseConference { conference } => self.pause_conference(*conference, ctx),
            Command::ResumeConference { conference } => self.resume_conference(*conference, ctx),
            Command::CloseConference { conference } => self.close_conference(*conference, ctx),
            Command::AmendConference {
                conference,
                case,
                text,
            } => self.amend_conference(*conference, *case, text, ctx),
            Command::AddUser { user } => self.add_user(user),
            Command::SetUser { account, change } => self.set_user(account, change),
            Command::RemoveUser { account } => self.remove_user(account),
            // An audit entry only: the journal line is the record.
            Command::RecordExport { .. } => Ok((Outcome::Done, Changes::default())),
            Command::AddConsent { case, consent } => self.add_consent(*case, consent, ctx),
            Command::WithdrawConsent { case, n, on } => self.withdraw_consent(*case, *n, *on, ctx),
            Command::MergeCases { keep, other } => self.merge_cases(*keep, *other, ctx),
        }
    }

    fn init_store(
        &self,
        office: &str,
        teams: &[Team],
        demo: bool,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        if let Some(existing) = &self.office {
            return Err(DomainError::AlreadyInitialised {
                office: existing.name.clone(),
            });
        }
        let name = required(office, Field::Office, limits::NAME, false)?;
        let mut changes = Changes {
            office: Some(Office { name, demo }),
            ..Changes::default()
        };
        for team in teams {
            let team = clean_team(team)?;
            if changes.teams.iter().any(|t| t.code == team.code) {
                return Err(DomainError::TeamExists { code: team.code });
            }
            changes.teams.push(team);
        }
        // The account that sets the store up runs it: it is the first admin.
        if super::ids::valid_account(&ctx.user) {
            changes.users.push(User {
                account: ctx.user.clone(),
                role: super::vocab::Role::Admin,
                teams: Vec::new(),
                name: None,
            });
        }
        Ok((Outcome::Done, changes))
    }

    pub(crate) fn add_team(&self, team: &Team) -> Result<(Outcome, Changes), DomainError> {
        let team = clean_team(team)?;
        if self.teams.contains_key(&team.code) {
            return Err(DomainError::TeamExists { code: team.code });
        }
        // Teams are typed by code or by name: a new one must not answer to an existing one's.
        let names = |t: &Team| [fold(t.code.as_str()), fold(&t.name_ko), fold(&t.name_en)];
        for existing in self.teams.values() {
            let theirs = names(existing);
            if let Some(clash) = names(&team).iter().find(|n| theirs.contains(n)) {
                return Err(DomainError::TeamNameTaken {
                    name: clash.clone(),
                    team: existing.code.clone(),
                });
            }
        }
        Ok((
            Outcome::Done,
            Changes {
                teams: vec![team],
                ..Changes::default()
            },
        ))
    }

    pub(crate) fn known_team(&self, code: &TeamCode) -> Result<&Team, DomainError> {
        self.teams
            .get(code)
            .ok_or_else(|| self.unknown_team(code.as_str()))
    }

    /// A team that may own an action: one of the office's, or the student's own school.
    fn action_owner(&self, code: &TeamCode) -> Result<(), DomainError> {
        if code.is_school() && !self.teams.contains_key(code) {
            return Ok(());
        }
        self.known_team(code).map(|_| ())
    }

    fn lead_team(&self, code: &TeamCode) -> Result<(), DomainError> {
        match self.known_team(code)?.kind {
            TeamKind::Internal => Ok(()),
            TeamKind::External => Err(DomainError::LeadMustBeInternal { team: code.clone() }),
        }
    }

    fn co_teams(&self, lead: &TeamCode, co: &[TeamCode]) -> Result<Vec<TeamCode>, DomainError> {
        let mut out: Vec<TeamCode> = Vec::with_capacity(co.len());
        for code in co {
            self.known_team(code)?;
            if code == lead {
                return Err(DomainError::LeadAlsoCooperating { team: code.clone() });
            }
            if !out.contains(code) {
                out.push(code.clone());
            }
        }
        Ok(out)
    }

    fn open_case(&self, number: CaseNumber) -> Result<&Case, DomainError> {
        let case = self.case(number)?;
        match case.stage {
            Stage::Closed => Err(DomainError::CaseClosed { case: number }),
            Stage::Aftercare => Err(DomainError::InAftercare { case: number }),
            _ => Ok(case),
        }
    }

    /// The case, when it exists and was not merged into another (a merged case is only a
    /// pointer: what is recorded goes on the case it points to).
    pub(super) fn case(&self, number: CaseNumber) -> Result<&Case, DomainError> {
        let case = self
            .cases
            .get(&number)
            .ok_or_else(|| DomainError::UnknownCase {
                input: number.to_string(),
            })?;
        match case.merged_into {
            Some(_) => Err(DomainError::MergedCase {
                case: number,
                into: self.merge_target(number),
            }),
            None => Ok(case),
        }
    }

    fn create_case(&self, new: &NewCase, ctx: &Ctx) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        let name = required(&new.student.name, Field::Student, limits::NAME, false)?;
        let school = required(&new.school, Field::School, limits::NAME, false)?;
        if !(1..=6).contains(&new.grade.year) || new.grade.class == Some(0) {
            return Err(DomainError::BadGrade {
                input: new.grade.to_string(),
            });
        }
        self.lead_team(&new.lead_team)?;
        let co_teams = self.co_teams(&new.lead_team, &new.co_teams)?;
        if let Some(date) = new.review_on {
            if date < today {
                return Err(DomainError::ReviewInPast { date, today });
            }
            not_too_far(date, today)?;
        }
        if let Some(date) = new.student.birth_on.filter(|d| *d > today) {
            return Err(DomainError::BirthInFuture { date, today });
        }
        if new.check_duplicates {
            let matches = self.same_student(&name, new.student.birth_on, &school, new.grade.year);
            if !matches.is_empty() {
                return Err(DomainError::DuplicateStudent {
                    matches: matches
                        .iter()
                        .map(|n| (*n, self.cases.get(n).is_some_and(|c| c.is_open())))
                        .collect(),
                });
            }
        }
        let mut concerns: Vec<Concern> = Vec::new();
        for c in &new.concerns {
            if !concerns.contains(c) {
                concerns.push(*c);
            }
        }
        let mut domains: Vec<DifficultyDomain> = Vec::new();
        for d in new
            .domains
            .iter()
            .copied()
            .chain(concerns.iter().map(|c| c.domain()))
        {
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        domains.sort();
        // Case numbers are read back as YYYY-NNNN from 1900 on: never write one that cannot be.
        let year = match u16::try_from(ctx.at.year()) {
            Ok(y) if (1900..=9999).contains(&y) => y,
            _ => {
                return Err(DomainError::ClockOutOfRange {
                    year: ctx.at.year(),
                });
            }
        };
        let seq = self
            .counters
            .cases
            .get(&year)
            .copied()
            .unwrap_or(0)
            .saturating_add(1);
        let number = CaseNumber { year, seq };
        let level = new.level.unwrap_or(Level::Watch);
        let by = ctx.user.clone();
        let case = Case {
            number,
            student: super::model::Student {
                name,
                birth_on: new.student.birth_on,
                sex: new.student.sex,
            },
            school,
            grade: Grade {
                year: new.grade.year,
                class: new.grade.class,
            },
            domains,
            concerns,
            level,
            level_history: vec![Change {
                on: today,
                to: level,
                by: by.clone(),
                skipped: false,
            }],
            stage: Stage::Intake,
            stage_history: vec![Change {
                on: today,
                to: Stage::Intake,
                by: by.clone(),
                skipped: false,
            }],
            lead_team: new.lead_team.clone(),
            lead_person: optional(new.lead_person.as_deref(), Field::Person, limits::NAME)?,
            co_teams,
            referral_source: optional(
                new.referral_source.as_deref(),
                Field::ReferralSource,
                limits::NAME,
            )?,
            referred_on: new.referred_on.unwrap_or(today).min(today),
            review_on: new.review_on,
            consent: Consent::default(),
            urgent: new.urgent,
            safety: new.safety,
            summary: optional(new.summary.as_deref(), Field::Summary, limits::TEXT)?
                .unwrap_or_default(),
            background: background_items(&new.background)?,
            merged_into: None,
            opened_at: ctx.at,
            opened_by: by,
            closed_on: None,
            actions_made: 0,
            notes_made: 0,
        };
        let mut counters = self.counters.clone();
        counters.cases.insert(year, seq);
        Ok((
            Outcome::Case { number },
            Changes {
                cases: vec![case],
                counters: Some(counters),
                ..Changes::default()
            },
        ))
    }

    fn update_case(
        &self,
        number: CaseNumber,
        change: &CaseUpdate,
        conference: Option<u32>,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        if let Some(id) = conference {
            // Checked first, so that a closed conference says so rather than anything else.
            self.running(id)?;
        }
        let today = ctx.today();
        let old = self.case(number)?;
        let mut case = old.clone();

        if let Some(stage) = change.stage.filter(|s| *s != old.stage) {
            match (old.stage, stage) {
                (_, Stage::Closed) => return Err(DomainError::CloseWithReason { case: number }),
                (Stage::Closed, Stage::Aftercare) => {}
                (Stage::Closed | Stage::Aftercare, _) => {
                    return Err(DomainError::ReopenWithReason { case: number });
                }
                (from, Stage::Aftercare) => {
                    return Err(DomainError::AftercareNeedsClosed {
                        case: number,
                        stage: from,
                    });
                }
                (_, Stage::Intake) => return Err(DomainError::BackToIntake { case: number }),
                (from, to) if to > from => {
                    // Forward one stage at a time, unless the jump is confirmed: then the stages
                    // passed over are recorded as skipped, so no step of the path goes unrecorded.
                    let next = Stage::ALL.iter().copied().find(|s| *s > from);
                    if Some(to) != next {
                        if !change.skip_stages {
                            return Err(DomainError::SkipStage {
                                case: number,
                                from,
                                next: next.unwrap_or(to),
                            });
                        }
                        for passed in Stage::ALL.iter().copied().filter(|s| *s > from && *s < to) {
                            case.stage_history.push(Change {
                                on: today,
                                to: passed,
                                by: ctx.user.clone(),
                                skipped: true,
                            });
                        }
                    }
                }
                // Back to assessment or to the conference (re-assessment, re-discussion).
                _ => {}
            }
            case.stage = stage;
            case.stage_history.push(Change {
                on: today,
                to: stage,
                by: ctx.user.clone(),
                skipped: false,
            });
        }
        // A closed case only moves into aftercare; a case in aftercare only gets check-in
        // dates (review) and its person in charge. Everything else waits for a reopen.
        let teams_or_level = change.lead_team.is_some()
            || change.co_teams.is_some()
            || change.level.is_some()
            || change.changes_details();
        match case.stage {
            Stage::Closed
                if teams_or_level
                    || change.review_on.is_some()
                    || change.lead_person.is_some()
                    || change.consent_on.is_some()
                    || change.consent_third_party.is_some() =>
            {
                return Err(DomainError::CaseClosed { case: number });
            }
            Stage::Aftercare if teams_or_level => {
                return Err(DomainError::InAftercare { case: number });
            }
            _ => {}
        }

        if let Some(lead) = change.lead_team.as_ref().filter(|l| **l != old.lead_team) {
            self.lead_team(lead)?;
            case.lead_team = lead.clone();
            if change.co_teams.is_none() {
                // The cooperating team that takes the lead stops being listed as cooperating.
                case.co_teams.retain(|c| c != lead);
            }
        }
        if let Some(co) = &change.co_teams {
            case.co_teams = self.co_teams(&case.lead_team, co)?;
        }
        if let Some(level) = change.level.filter(|l| *l != old.level) {
            case.level = level;
            case.level_history.push(Change {
                on: today,
                to: level,
                by: ctx.user.clone(),
                skipped: false,
            });
        }
        if let Some(review) = change.review_on {
            if let Some(date) = review
                && Some(date) != old.review_on
            {
                if date < today {
                    return Err(DomainError::ReviewInPast { date, today });
                }
                not_too_far(date, today)?;
            }
            case.review_on = review;
        }
        if let Some(person) = &change.lead_person {
            case.lead_person = optional(person.as_deref(), Field::Person, limits::NAME)?;
        }
        if let Some(on) = change.consent_on {
            if let Some(day) = on {
                consent_day(day, old, today)?;
            }
            if case.consent.records.is_empty() {
                case.consent.collection_on = on;
            } else {
                // Consents are kept one record each: the old field's meaning, said that way.
                set_collection(&mut case.consent, on, today, &ctx.user);
            }
        }
        if let Some(agencies) = &change.consent_third_party {
            let mut list: Vec<TeamCode> = Vec::new();
            for code in agencies {
                self.known_team(code)?;
                if !list.contains(code) {
                    list.push(code.clone());
                }
            }
            if case.consent.records.is_empty() {
                case.consent.third_party = list;
            } else {
                set_sharing(&mut case.consent, &list, today, &ctx.user);
            }
        }
        let mut notes = Vec::new();
        if change.changes_details() {
            let said = self.change_details(&mut case, change, today)?;
            if !said.is_empty() {
                notes.push(State::note(
                    &mut case,
                    NoteKind::Details,
                    said.join("; "),
                    false,
                    ctx,
                ));
            }
        }
        if case == *old {
            // A conference that agrees to keep the review date it has records that it did.
            if let (Some(id), Some(Some(_))) = (conference, change.review_on) {
                return Ok((
                    Outcome::Done,
                    Changes {
                        conferences: vec![self.record_case_change(id, old, &case, ctx)?],
                        ..Changes::default()
                    },
                ));
            }
            return Err(DomainError::NothingToChange { case: number });
        }
        let conferences = match conference {
            Some(id) => vec![self.record_case_change(id, old, &case, ctx)?],
            None => Vec::new(),
        };
        Ok((
            Outcome::Done,
            Changes {
                cases: vec![case],
                conferences,
                notes,
                ..Changes::default()
            },
        ))
    }

    /// Applies the registration details `change` gives to `case` and says, for the timeline,
    /// what changed (a school left stays named in it; names and birth dates are not written
    /// out, only that they changed).
    fn change_details(
        &self,
        case: &mut Case,
        change: &CaseUpdate,
        today: NaiveDate,
    ) -> Result<Vec<String>, DomainError> {
        let mut said = Vec::new();
        if let Some(name) = &change.student {
            let name = required(name, Field::Student, limits::NAME, false)?;
            if name != case.student.name {
                case.student.name = name;
                said.push("학생 이름 변경".to_string());
            }
        }
        if let Some(birth) = change.birth_on
            && birth != case.student.birth_on
        {
            if let Some(date) = birth.filter(|d| *d > today) {
                return Err(DomainError::BirthInFuture { date, today });
            }
            case.student.birth_on = birth;
            said.push("생년월일 변경".to_string());
        }
        if let Some(sex) = change.sex
            && sex != case.student.sex
        {
            case.student.sex = sex;
            said.push(format!("성별: {}", sex.map_or("-", |s| s.ko())));
        }
        if let Some(school) = &change.school {
            let school = required(school, Field::School, limits::NAME, false)?;
            if school != case.school {
                said.push(format!("학교(전학): {} → {school}", case.school));
                case.school = school;
            }
        }
        if let Some(grade) = change.grade
            && grade != case.grade
        {
            if !(1..=6).contains(&grade.year) || grade.class == Some(0) {
                return Err(DomainError::BadGrade {
                    input: grade.to_string(),
                });
            }
            said.push(format!("학년·반: {} → {grade}", case.grade));
            case.grade = grade;
        }
        if change.domains.is_some() || change.concerns.is_some() {
            let concerns = change
                .concerns
                .clone()
                .unwrap_or_else(|| case.concerns.clone());
            let domains = change
                .domains
                .clone()
                .unwrap_or_else(|| case.domains.clone());
            let (domains, concerns) = domains_with(&domains, &concerns);
            if domains != case.domains || concerns != case.concerns {
                let before = case.domain_labels(Lang::Ko).join(", ");
                case.domains = domains;
                case.concerns = concerns;
                said.push(format!(
                    "어려움 영역: {} → {}",
                    if before.is_empty() {
                        "-".into()
                    } else {
                        before
                    },
                    case.domain_labels(Lang::Ko).join(", ")
                ));
            }
        }
        if let Some(summary) = &change.summary {
            let summary =
                optional(Some(summary), Field::Summary, limits::TEXT)?.unwrap_or_default();
            if summary != case.summary {
                case.summary = summary;
                said.push("요약 변경".to_string());
            }
        }
        if let Some(items) = &change.background {
            let items = background_items(items)?;
            if items != case.background {
                said.push(format!(
                    "배경: {} → {}",
                    list_or_dash(&case.background),
                    list_or_dash(&items)
                ));
                case.background = items;
            }
        }
        if let Some(source) = &change.referral_source {
            let source = optional(source.as_deref(), Field::ReferralSource, limits::NAME)?;
            if source != case.referral_source {
                case.referral_source = source;
                said.push("의뢰처 변경".to_string());
            }
        }
        let yes_no = |b: bool| if b { "예" } else { "아니오" };
        if let Some(urgent) = change.urgent.filter(|u| *u != case.urgent) {
            said.push(format!(
                "긴급: {} → {}",
                yes_no(case.urgent),
                yes_no(urgent)
            ));
            case.urgent = urgent;
        }
        if let Some(safety) = change.safety.filter(|s| *s != case.safety) {
            said.push(format!(
                "안전 우려: {} → {}",
                yes_no(case.safety),
                yes_no(safety)
            ));
            case.safety = safety;
        }
        Ok(said)
    }

    pub(super) fn note(
        case: &mut Case,
        kind: NoteKind,
        text: String,
        restricted: bool,
        ctx: &Ctx,
    ) -> Note {
        case.notes_made += 1;
        Note {
            case: case.number,
            n: case.notes_made,
            at: ctx.at,
            author: ctx.user.clone(),
            kind,
            text,
            restricted,
        }
    }

    fn close_case(
        &self,
        number: CaseNumber,
        reason: &str,
        drop_open: bool,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        let old = self.case(number)?;
        if old.stage == Stage::Closed {
            return Err(DomainError::AlreadyClosed {
                case: number,
                on: old.closed_on,
            });
        }
        let reason = required(reason, Field::Reason, limits::LINE, false)?;
        let open: Vec<&Action> = self.actions_of(number).filter(|a| a.is_open()).collect();
        if !open.is_empty() && !drop_open {
            return Err(DomainError::OpenActions {
                case: number,
                actions: open.iter().map(|a| a.id).collect(),
            });
        }
        let mut changes = Changes::default();
        for action in &open {
            let mut dropped = (*action).clone();
            dropped.status = ActionStatus::Dropped;
            dropped.closed_on = Some(today);
            dropped.result = Some(reason.clone());
            dropped.closed_by = Some(ctx.user.clone());
            changes.actions.push(dropped);
        }
        let mut case = old.clone();
        case.stage = Stage::Closed;
        case.closed_on = Some(today);
        case.stage_history.push(Change {
            on: today,
            to: Stage::Closed,
            by: ctx.user.clone(),
            skipped: false,
        });
        let note = State::note(&mut case, NoteKind::Close, reason, false, ctx);
        changes.notes.push(note);
        changes.cases.push(case);
        let dropped = open.iter().map(|a| a.id).collect();
        Ok((Outcome::Closed { dropped }, changes))
    }

    fn reopen_case(
        &self,
        number: CaseNumber,
        reason: &str,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.case(number)?;
        if !matches!(old.stage, Stage::Closed | Stage::Aftercare) {
            return Err(DomainError::NotClosed { case: number });
        }
        let reason = required(reason, Field::Reason, limits::LINE, false)?;
        let mut case = old.clone();
        case.stage = Stage::Conference;
        case.closed_on = None;
        case.stage_history.push(Change {
            on: ctx.today(),
            to: Stage::Conference,
            by: ctx.user.clone(),
            skipped: false,
        });
        let note = State::note(&mut case, NoteKind::Reopen, reason, false, ctx);
        Ok((
            Outcome::Done,
            Changes {
                cases: vec![case],
                notes: vec![note],
                ..Changes::default()
            },
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn add_action(
        &self,
        number: CaseNumber,
        title: &str,
        team: &TeamCode,
        due_on: NaiveDate,
        person: Option<&str>,
        conference: Option<u32>,
        sharing: &SharingCheck,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        if let Some(id) = conference {
            self.running(id)?;
        }
        let old = self.open_case(number)?;
        let title = required(title, Field::Title, limits::LINE, false)?;
        self.action_owner(team)?;
        let without_consent = self.sharing_allowed(old, team, sharing, today)?;
        if due_on < today {
            return Err(DomainError::DueInPast { due: due_on, today });
        }
        not_too_far(due_on, today)?;
        let person = optional(person, Field::Person, limits::NAME)?;
        let mut case = old.clone();
        case.actions_made += 1;
        let id = ActionId {
            case: number,
            n: case.actions_made,
        };
        let action = Action {
            id,
            title,
            team: team.clone(),
            person,
            due_on,
            status: ActionStatus::Open,
            closed_on: None,
            result: None,
            created_at: ctx.at,
            created_by: ctx.user.clone(),
            closed_by: None,
            conference,
            progress: Vec::new(),
            referral: Vec::new(),
            sessions: Vec::new(),
            without_consent: without_consent.clone(),
        };
        let conferences = match conference {
            Some(conference) => vec![self.record_action(conference, id, ctx)?],
            None => Vec::new(),
        };
        Ok((
            Outcome::Action { id },
            Changes {
                cases: vec![case],
                actions: vec![action],
                conferences,
                ..Changes::default()
            },
        ))
    }

    fn finish_action(
        &self,
        id: ActionId,
        status: ActionStatus,
        text: Option<&str>,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.open_action(id)?;
        let result = match status {
            ActionStatus::Dropped => Some(required(
                text.unwrap_or(""),
                Field::Reason,
                limits::LINE,
                false,
            )?),
            _ => optional(text, Field::Result, limits::LINE)?,
        };
        let mut action = old.clone();
        action.status = status;
        action.closed_on = Some(ctx.today());
        action.result = result;
        action.closed_by = Some(ctx.user.clone());
        Ok((
            Outcome::Done,
            Changes {
                actions: vec![action],
                ..Changes::default()
            },
        ))
    }

    pub(crate) fn add_note(
        &self,
        number: CaseNumber,
        kind: NoteKind,
        text: &str,
        restricted: bool,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.case(number)?;
        let text = required(text, Field::NoteText, limits::TEXT, true)?;
        let mut case = old.clone();
        let note = State::note(&mut case, kind, text, restricted, ctx);
        let n = note.n;
        Ok((
            Outcome::Note { case: number, n },
            Changes {
                cases: vec![case],
                notes: vec![note],
                ..Changes::default()
            },
        ))
    }
}

impl State {
    /// Whether `team` may be given an action on `case` as `sharing` asks: an outside agency
    /// needs a standing consent to share with it, or a reason to go without one (which it
    /// returns, to be kept). An internal team, and a change journaled before consent was
    /// checked, need nothing.
    fn sharing_allowed(
        &self,
        case: &Case,
        team: &TeamCode,
        sharing: &SharingCheck,
        today: NaiveDate,
    ) -> Result<Option<String>, DomainError> {
        let external = self
            .teams
            .get(team)
            .is_some_and(|t| t.kind == TeamKind::External);
        if !external || case.consent.may_share_with(team, today) {
            return Ok(None);
        }
        match sharing {
            SharingCheck::Unchecked => Ok(None),
            SharingCheck::Required => Err(DomainError::NoConsentToShare {
                case: case.number,
                team: team.clone(),
            }),
            SharingCheck::Without { reason } => {
                Ok(Some(required(reason, Field::Reason, limits::LINE, false)?))
            }
        }
    }

    fn add_consent(
        &self,
        number: CaseNumber,
        new: &NewConsent,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        let old = self.case(number)?;
        if old.stage == Stage::Closed {
            return Err(DomainError::CaseClosed { case: number });
        }
        match (new.kind, &new.agency) {
            (ConsentKind::Sharing, None) => return Err(DomainError::ConsentNeedsAgency),
            (ConsentKind::Sharing, Some(team)) => {
                if self.known_team(team)?.kind == TeamKind::Internal {
                    return Err(DomainError::ConsentForInternal { team: team.clone() });
                }
            }
            (ConsentKind::Collection, Some(team)) => {
                return Err(DomainError::ConsentAgencyNotSharing { team: team.clone() });
            }
            (ConsentKind::Collection, None) => {}
        }
        consent_day(new.given_on, old, today)?;
        let mut case = old.clone();
        case.consent = old.consent.migrated();
        let record = ConsentRecord {
            kind: new.kind,
            agency: new.agency.clone(),
            given_on: Some(new.given_on),
            given_by: new.given_by,
            withdrawn_on: None,
            recorded_by: ctx.user.clone(),
        };
        let text = format!("동의 기록: {}", record.label(Lang::Ko));
        case.consent.records.push(record);
        let note = State::note(&mut case, NoteKind::Consent, text, false, ctx);
        Ok((
            Outcome::Done,
            Changes {
                cases: vec![case],
                notes: vec![note],
                ..Changes::default()
            },
        ))
    }

    fn withdraw_consent(
        &self,
        number: CaseNumber,
        n: u32,
        on: NaiveDate,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        let old = self.case(number)?;
        let mut case = old.clone();
        case.consent = old.consent.migrated();
        let count = case.consent.records.len();
        let record = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| case.consent.records.get_mut(i))
            .ok_or(DomainError::UnknownConsent {
                case: number,
                n,
                count,
            })?;
        if let Some(on) = record.withdrawn_on {
            return Err(DomainError::ConsentWithdrawn {
                case: number,
                n,
                on,
            });
        }
        if on > today {
            return Err(DomainError::ConsentInFuture { date: on, today });
        }
        if let Some(given) = record.given_on.filter(|g| on < *g) {
            return Err(DomainError::WithdrawnBeforeGiven { date: on, given });
        }
        record.withdrawn_on = Some(on);
        let text = format!("동의 철회: {}", record.label(Lang::Ko));
        let note = State::note(&mut case, NoteKind::Consent, text, false, ctx);
        Ok((
            Outcome::Done,
            Changes {
                cases: vec![case],
                notes: vec![note],
                ..Changes::default()
            },
        ))
    }

    /// The action, when it exists and is still open.
    fn open_action(&self, id: ActionId) -> Result<&Action, DomainError> {
        let action = self.actions.get(&id).ok_or_else(|| self.no_action(id))?;
        if !action.is_open() {
            return Err(DomainError::ActionNotOpen {
                action: id,
                status: action.status,
                on: action.closed_on,
                by: action.closed_by.clone(),
            });
        }
        Ok(action)
    }

    fn note_action(
        &self,
        id: ActionId,
        text: &str,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.open_action(id)?;
        let text = required(text, Field::Progress, limits::LINE, false)?;
        let mut action = old.clone();
        action.progress.push(Progress {
            at: ctx.at,
            by: ctx.user.clone(),
            text,
        });
        Ok((
            Outcome::Done,
            Changes {
                actions: vec![action],
                ..Changes::default()
            },
        ))
    }

    /// True when the action's owner is an outside agency: a referral (연계).
    pub fn is_referral(&self, action: &Action) -> bool {
        self.teams
            .get(&action.team)
            .is_some_and(|t| t.kind == TeamKind::External)
    }

    fn mark_session(
        &self,
        id: ActionId,
        n: u32,
        held: bool,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.open_action(id)?;
        let count = old.sessions.len();
        let index = usize::try_from(n).unwrap_or(usize::MAX).wrapping_sub(1);
        let Some(session) = old.sessions.get(index) else {
            return Err(DomainError::UnknownSession {
                action: id,
                session: n,
                sessions: count,
            });
        };
        if session.on > ctx.today() {
            return Err(DomainError::SessionAhead {
                action: id,
                session: n,
                on: session.on,
            });
        }
        let mut action = old.clone();
        if let Some(s) = action.sessions.get_mut(index) {
            s.mark = Some(SessionMark {
                held,
                at: ctx.at,
                by: ctx.user.clone(),
            });
        }
        // Due on the first session not held (missed ones stay overdue until made up); done once
        // every session is recorded.
        if let Some(next) = action
            .sessions
            .iter()
            .find(|s| !s.mark.as_ref().is_some_and(|m| m.held))
        {
            action.due_on = next.on;
        }
        if action.sessions.iter().all(|s| s.mark.is_some()) {
            action.status = ActionStatus::Done;
            action.closed_on = Some(ctx.today());
            action.closed_by = Some(ctx.user.clone());
        }
        if action == *old {
            return Err(DomainError::NothingToChangeAction { action: id });
        }
        Ok((
            Outcome::Done,
            Changes {
                actions: vec![action],
                ..Changes::default()
            },
        ))
    }

    fn set_referral(
        &self,
        id: ActionId,
        status: ReferralStatus,
        reason: Option<&str>,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        use ReferralStatus as R;
        let old = self.open_action(id)?;
        if !self.is_referral(old) {
            return Err(DomainError::NotAReferral {
                action: id,
                team: old.team.clone(),
            });
        }
        let from = old.referral_status();
        // Forward only: requested → accepted → in progress → finished, declined from any;
        // asking again restarts the wait for an answer.
        let rank = |s: R| match s {
            R::Requested => 0,
            R::Accepted => 1,
            R::InProgress => 2,
            R::Finished | R::Declined => 3,
        };
        let allowed = match status {
            R::Requested => true,
            _ => rank(status) > rank(from),
        };
        if !allowed {
            return Err(DomainError::ReferralBackwards {
                action: id,
                from,
                to: status,
            });
        }
        let reason = match status {
            R::Declined => Some(required(
                reason.unwrap_or(""),
                Field::Reason,
                limits::LINE,
                false,
            )?),
            _ => optional(reason, Field::Reason, limits::LINE)?,
        };
        let mut action = old.clone();
        action.referral.push(ReferralStep {
            at: ctx.at,
            by: ctx.user.clone(),
            status,
            reason: reason.clone(),
        });
        // A referral that ends ends the action, with the same result and stamp as done/drop.
        let closing = match status {
            R::Finished => Some(ActionStatus::Done),
            R::Declined => Some(ActionStatus::Dropped),
            _ => None,
        };
        if let Some(closing) = closing {
            action.status = closing;
            action.closed_on = Some(ctx.today());
            action.closed_by = Some(ctx.user.clone());
            action.result = reason;
        }
        Ok((
            Outcome::Done,
            Changes {
                actions: vec![action],
                ..Changes::default()
            },
        ))
    }

    fn update_action(
        &self,
        id: ActionId,
        change: &ActionUpdate,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let today = ctx.today();
        let old = self.open_action(id)?;
        self.open_case(id.case)?;
        let mut action = old.clone();
        if let Some(title) = &change.title {
            action.title = required(title, Field::Title, limits::LINE, false)?;
        }
        if let Some(team) = change.team.as_ref().filter(|t| **t != old.team) {
            self.action_owner(team)?;
            // Given to another outside agency: a new referral, asked for today.
            if self
                .teams
                .get(team)
                .is_some_and(|t| t.kind == TeamKind::External)
            {
                action.referral.push(ReferralStep {
                    at: ctx.at,
                    by: ctx.user.clone(),
                    status: ReferralStatus::Requested,
                    reason: None,
                });
            }
            action.team = team.clone();
            let case = self.case(id.case)?;
            action.without_consent = self.sharing_allowed(case, team, &change.sharing, today)?;
        }
        if let Some(due) = change.due_on.filter(|d| *d != old.due_on) {
            if due < today {
                return Err(DomainError::DueInPast { due, today });
            }
            not_too_far(due, today)?;
            action.due_on = due;
        }
        if let Some(person) = &change.person {
            action.person = optional(person.as_deref(), Field::Person, limits::NAME)?;
        }
        if action == *old {
            return Err(DomainError::NothingToChangeAction { action: id });
        }
        Ok((
            Outcome::Done,
            Changes {
                actions: vec![action],
                ..Changes::default()
            },
        ))
    }

    fn revert(&self, revert: &Revert) -> Result<(Outcome, Changes), DomainError> {
        if revert.cases.is_empty()
            && revert.actions.is_empty()
            && revert.notes.is_empty()
            && revert.removed_actions.is_empty()
            && revert.conferences.is_empty()
        {
            return Err(DomainError::NothingToUndo);
        }
        let mut changes = Changes::default();
        for Before { before, after } in &revert.cases {
            // The case must be as the change left it — but for its counters, which only ever
            // grow (an undone action or note keeps its number handed out).
            let current = self.cases.get(&after.number);
            let unchanged = current.is_some_and(|now| {
                now.actions_made >= after.actions_made
                    && now.notes_made >= after.notes_made
                    && Case {
                        actions_made: after.actions_made,
                        notes_made: after.notes_made,
                        ..now.clone()
                    } == *after
            });
            let Some(current) = current.filter(|_| unchanged) else {
                return Err(DomainError::ChangedSince {
                    what: after.number.to_string(),
                });
            };
            match before {
                Some(before) => {
                    let mut restored = before.clone();
                    restored.actions_made = current.actions_made;
                    restored.notes_made = current.notes_made;
                    changes.cases.push(restored);
                }
                None => changes.removed_cases.push(after.number),
            }
        }
        for Before { before, after } in &revert.actions {
            // Who finished an action was not recorded by older versions: an undo journaled then
            // must still replay, so that stamp does not count as a change.
            let unstamped = |a: &Action| Action {
                closed_by: None,
                ..a.clone()
            };
            if self.actions.get(&after.id).map(unstamped) != Some(unstamped(after)) {
                return Err(DomainError::ChangedSince {
                    what: after.id.to_string(),
                });
            }
            match before {
                Some(before) => changes.actions.push(before.clone()),
                None => changes.removed_actions.push(after.id),
            }
        }
        for action in &revert.removed_actions {
            // Only a merge removes actions (they come back under their old numbers), and nothing
            // can be recorded on a merged case: the number is free unless the store is damaged.
            if self.action_teams.contains_key(&action.id) {
                return Err(DomainError::ChangedSince {
                    what: action.id.to_string(),
                });
            }
            changes.actions.push(action.clone());
        }
        // A case that goes must not leave actions behind, nor a conference that discussed it.
        for number in &changes.removed_cases {
            if self.conferences.values().any(|c| c.item(*number).is_some()) {
                return Err(DomainError::ChangedSince {
                    what: number.to_string(),
                });
            }
            let left = self
                .actions_of(*number)
                .any(|a| !changes.removed_actions.contains(&a.id));
            if left {
                return Err(DomainError::ChangedSince {
                    what: number.to_string(),
                });
            }
        }
        changes.removed_notes = revert.notes.iter().map(|n| (n.case, n.n)).collect();
        for Before { before, after } in &revert.conferences {
            if self.conferences.get(&after.id) != Some(after) {
                return Err(DomainError::ChangedSince {
                    what: format!("#{}", after.id),
                });
            }
            match before {
                Some(before) => changes.conferences.push(before.clone()),
                None => changes.removed_conferences.push(after.id),
            }
        }
        Ok((Outcome::Done, changes))
    }
}

/// The old "day of consent to collect" said on records: a new day records a consent given by
/// the guardian that day (unless one stands from that day already); none withdraws the standing
/// ones today.
fn set_collection(consent: &mut Consent, on: Option<NaiveDate>, today: NaiveDate, by: &str) {
    let standing =
        |r: &ConsentRecord| r.kind == ConsentKind::Collection && r.withdrawn_on.is_none();
    match on {
        Some(day) => {
            if !consent
                .records
                .iter()
                .any(|r| standing(r) && r.given_on == Some(day))
            {
                consent.records.push(ConsentRecord {
                    kind: ConsentKind::Collection,
                    agency: None,
                    given_on: Some(day),
                    given_by: super::vocab::ConsentGiver::Guardian,
                    withdrawn_on: None,
                    recorded_by: by.to_string(),
                });
            }
        }
        None => {
            for r in consent.records.iter_mut().filter(|r| standing(r)) {
                r.withdrawn_on = Some(today);
            }
        }
    }
}

/// The old "agencies shared with" list said on records: an agency added gets a consent given
/// by the guardian today, one left out has its standing consents withdrawn today.
fn set_sharing(consent: &mut Consent, agencies: &[TeamCode], today: NaiveDate, by: &str) {
    for r in consent.records.iter_mut().filter(|r| {
        r.kind == ConsentKind::Sharing
            && r.withdrawn_on.is_none()
            && r.agency.as_ref().is_some_and(|a| !agencies.contains(a))
    }) {
        r.withdrawn_on = Some(today);
    }
    for agency in agencies {
        if !consent.may_share_with(agency, today) {
            consent.records.push(ConsentRecord {
                kind: ConsentKind::Sharing,
                agency: Some(agency.clone()),
                given_on: Some(today),
                given_by: super::vocab::ConsentGiver::Guardian,
                withdrawn_on: None,
                recorded_by: by.to_string(),
            });
        }
    }
}

/// Domains with the domains of their sub-items added, each once, in order.
fn domains_with(
    domains: &[DifficultyDomain],
    concerns: &[Concern],
) -> (Vec<DifficultyDomain>, Vec<Concern>) {
    let mut out_concerns: Vec<Concern> = Vec::new();
    for c in concerns {
        if !out_concerns.contains(c) {
            out_concerns.push(*c);
        }
    }
    let mut out: Vec<DifficultyDomain> = Vec::new();
    for d in domains
        .iter()
        .copied()
        .chain(out_concerns.iter().map(|c| c.domain()))
    {
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out.sort();
    (out, out_concerns)
}

/// Background items by their Korean names, each once; refused when one is not an item of the
/// application form.
pub fn background_items(items: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        let Some(name) = super::application::background_item(item) else {
            return Err(DomainError::UnknownBackground {
                input: item.to_string(),
                valid: super::application::BACKGROUND
                    .iter()
                    .map(|(_, ko, _)| *ko)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

fn list_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

/// A day of consent must be past or today and not before the student was born.
fn consent_day(day: NaiveDate, case: &Case, today: NaiveDate) -> Result<(), DomainError> {
    if day > today {
        return Err(DomainError::ConsentInFuture { date: day, today });
    }
    if let Some(birth) = case.student.birth_on
        && day < birth
    {
        return Err(DomainError::ConsentBeforeBirth { date: day, birth });
    }
    Ok(())
}

/// How far ahead a due or review date may lie: further is almost always a typing slip.
pub const MAX_DAYS_AHEAD: i64 = 3 * 366;

fn not_too_far(date: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if (date - today).num_days() > MAX_DAYS_AHEAD {
        return Err(DomainError::DateTooFar { date, today });
    }
    Ok(())
}

fn clean_team(team: &Team) -> Result<Team, DomainError> {
    let name_ko = required(&team.name_ko, Field::TeamName, limits::NAME, false)?;
    let name_en = optional(Some(&team.name_en), Field::TeamName, limits::NAME)?
        .unwrap_or_else(|| name_ko.clone());
    Ok(Team {
        code: team.code.clone(),
        name_ko,
        name_en,
        kind: team.kind,
        contact: optional(team.contact.as_deref(), Field::Person, limits::NAME)?,
    })
}

/// Reads a crisis level by code or name.
pub fn parse_level(input: &str) -> Result<Level, DomainError> {
    Level::parse(input).ok_or_else(|| DomainError::UnknownWord {
        vocab: Vocab::Level,
        input: input.trim().into(),
        valid: Level::codes(),
    })
}

/// Reads a stage by code or name.
pub fn parse_stage(input: &str) -> Result<Stage, DomainError> {
    Stage::parse(input).ok_or_else(|| DomainError::UnknownWord {
        vocab: Vocab::Stage,
        input: input.trim().into(),
        valid: Stage::codes(),
    })
}

/// Reads a sex by code or name.
pub fn parse_sex(input: &str) -> Result<Sex, DomainError> {
    Sex::parse(input).ok_or_else(|| DomainError::UnknownWord {
        vocab: Vocab::Sex,
        input: input.trim().into(),
        valid: Sex::codes(),
    })
}

/// Reads a comma-separated list of difficulty domains and sub-items (학업, 우울, care, …).
pub fn parse_domains(input: &str) -> Result<(Vec<DifficultyDomain>, Vec<Concern>), DomainError> {
    let mut domains = Vec::new();
    let mut concerns = Vec::new();
    for part in input
        .split([',', '，'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if let Some(d) = DifficultyDomain::parse(part) {
            domains.push(d);
        } else if let Some(c) = Concern::parse(part) {
            concerns.push(c);
        } else {
            return Err(DomainError::UnknownWord {
                vocab: Vocab::Domain,
                input: part.into(),
                valid: DifficultyDomain::codes(),
            });
        }
    }
    Ok((domains, concerns))
}

/// Reads a grade: `3`, `3-2`, `3학년`, `3학년 2반`.
pub fn parse_grade(input: &str) -> Result<Grade, DomainError> {
    let bad = || DomainError::BadGrade {
        input: input.trim().to_string(),
    };
    let cleaned: String = input.replace("학년", "-").replace(['반', ' '], "");
    let mut parts = cleaned.split(['-', '/']).filter(|p| !p.is_empty());
    let year: u8 = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let class: Option<u16> = match parts.next() {
        Some(c) => Some(c.parse().map_err(|_| bad())?),
        None => None,
    };
    if parts.next().is_some() || !(1..=6).contains(&year) || class == Some(0) {
        return Err(bad());
    }
    Ok(Grade { year, class })
}
