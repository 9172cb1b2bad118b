//! The store with the role rules in front of it: every read is cut to what the person may see,
//! every command is checked against their role, against what they read (a stale change is
//! refused with who changed what) and, for an undo, against the changes this engine confirmed.
//! One engine serves the embedded backend and the server alike. Knows the store, not sockets.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{BackendError, CaseFilter, CheckSummary, Receipt, Scope, Stale};
use crate::domain::access::{Access, Denied};
use crate::domain::revision::{
    ChangeSummary, Expect, RecordField, RecordRef, action_fields, action_rev, case_fields,
    case_rev, conference_fields, conference_rev, summarize,
};
use crate::domain::{Action, CaseNumber, Changes, Command, Ctx, Note, State, User};
use crate::store::Store;

/// How many undoable changes an engine remembers.
const UNDO_KEPT: usize = 10_000;

/// The last change to a record this engine confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    /// Who made it.
    pub by: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// What it changed.
    pub fields: Vec<RecordField>,
}

/// A confirmed change, with what others need to be told about it.
#[derive(Debug, Clone)]
pub struct Confirmed {
    /// The receipt for the one who asked.
    pub receipt: Receipt,
    /// Who made it.
    pub by: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// What it was.
    pub summary: ChangeSummary,
    /// The records it wrote.
    pub changes: Changes,
    /// Those records as they were before.
    pub previous: Changes,
}

/// The store, serving people by their access.
pub struct Engine {
    store: Store,
    owner: Option<String>,
    undo: BTreeMap<u64, (String, Command)>,
    last: HashMap<RecordRef, LastChange>,
    finished: Option<Finished>,
}

/// The actions finished (done or dropped) on or after `horizon`, read once and then kept up to
/// date from each change this engine applies: the By team screen asks for them after every
/// change, and reading every action each time grows with the years a store holds.
struct Finished {
    horizon: NaiveDate,
    actions: BTreeMap<crate::domain::ActionId, Action>,
}

impl Finished {
    fn keeps(&self, action: &Action) -> bool {
        !action.is_open() && action.closed_on.is_some_and(|d| d >= self.horizon)
    }

    /// Takes in what a change wrote.
    fn follow(&mut self, changes: &Changes) {
        for action in &changes.actions {
            if self.keeps(action) {
                self.actions.insert(action.id, action.clone());
            } else {
                self.actions.remove(&action.id);
            }
        }
        for id in &changes.removed_actions {
            self.actions.remove(id);
        }
    }
}

impl Engine {
    /// Serves `store`, whose files belong to the account `owner` (always an admin).
    pub fn new(store: Store, owner: Option<String>) -> Engine {
        Engine {
            store,
            owner,
            undo: BTreeMap::new(),
            last: HashMap::new(),
            finished: None,
        }
    }

    /// The store. (What is changed through it directly is not followed: the finished actions
    /// kept are read again.)
    pub fn store(&mut self) -> &mut Store {
        self.finished = None;
        &mut self.store
    }

    /// Takes the store back (to close it).
    pub fn into_store(self) -> Store {
        self.store
    }

    /// What opening the store repaired.
    pub fn recovery(&self) -> &crate::store::Recovery {
        self.store.recovery()
    }

    /// The account that owns the store's files.
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    /// Every record in memory (the whole store's view, before any role applies).
    pub fn state(&mut self) -> Result<&State, BackendError> {
        Ok(self.store.state()?)
    }

    /// Who `account` is in this store, or why they may not use it.
    pub fn access(&mut self, account: &str) -> Result<Access, BackendError> {
        let owner = self.owner.clone();
        let state = self.store.state()?;
        Ok(Access::resolve(state, account, owner.as_deref())?)
    }

    /// What `access` may see of everything: `None` when it is everything as it is.
    pub fn snapshot_for(&mut self, access: &Access) -> Result<Option<State>, BackendError> {
        let state = self.store.state()?;
        Ok(access.filter(state))
    }

    /// Part of the records as `access` may see them.
    pub fn view(&mut self, access: &Access, scope: &Scope) -> Result<State, BackendError> {
        let state = self.store.state()?;
        if *scope == Scope::All {
            return Ok(access.filter(state).unwrap_or_else(|| state.clone()));
        }
        let mut part = State {
            office: state.office.clone(),
            teams: state.teams.clone(),
            counters: state.counters.clone(),
            ..State::default()
        };
        part.users = visible_users(access, state);
        // Lists do not need who owed what; one case's view does.
        let with_owners = matches!(scope, Scope::Case(_));
        let take_case = |part: &mut State, number: CaseNumber| {
            let Some(case) = state.cases.get(&number) else {
                return;
            };
            if !access.sees_case(state, case) {
                return;
            }
            part.cases.insert(number, access.case(case));
            for action in state.actions_of(number).filter(|a| a.is_open()) {
                part.actions.insert(action.id, access.action(case, action));
            }
            if with_owners {
                for (id, team) in state
                    .action_teams
                    .range(crate::domain::ActionId { case: number, n: 0 }..)
                    .take_while(|(id, _)| id.case == number)
                {
                    part.action_teams.insert(*id, team.clone());
                }
            }
        };
        match scope {
            Scope::All | Scope::Teams => {}
            Scope::Case(number) => {
                // Asked for by number, another team's case is refused, not passed over.
                if let Some(case) = state.cases.get(number)
                    && !access.sees_case(state, case)
                {
                    return Err(Denied::NotYourCase {
                        case: *number,
                        teams: access.teams.clone(),
                    }
                    .into());
                }
                take_case(&mut part, *number);
                if part.cases.contains_key(number) {
                    // A merge's two sides: the cases merged into it, or the case it points to.
                    for merged in state.merged_into(*number) {
                        take_case(&mut part, merged);
                    }
                    let target = state.merge_target(*number);
                    if target != *number {
                        take_case(&mut part, target);
                    }
                    for conference in state.conferences.values() {
                        if conference.item(*number).is_some() {
                            part.conferences
                                .insert(conference.id, access.conference(state, conference));
                        }
                    }
                }
            }
            Scope::Cases(filter) => {
                // The cases a team owes an action on, found in one pass over the owners rather
                // than one search per case (a team with few cases among 100,000).
                let owing: std::collections::HashSet<CaseNumber> = match &filter.team {
                    Some(team) => state
                        .action_teams
                        .iter()
                        .filter(|(_, t)| *t == team)
                        .map(|(id, _)| id.case)
                        .collect(),
                    None => std::collections::HashSet::new(),
                };
                let numbers: Vec<CaseNumber> = state
                    .cases
                    .values()
                    .filter(|c| lets_through(filter, c, |n| owing.contains(&n)))
                    .map(|c| c.number)
                    .collect();
                for number in numbers {
                    take_case(&mut part, number);
                }
            }
            Scope::Conferences => {
                for conference in state.conferences.values() {
                    for item in &conference.agenda {
                        take_case(&mut part, item.case);
                    }
                    part.conferences
                        .insert(conference.id, access.conference(state, conference));
                }
            }
        }
        Ok(part)
    }

    /// Checks `cmd` against `access`'s role, against what they read (`expect`) and, for an
    /// undo, against the changes confirmed here; then applies it at `at` in their name.
    pub fn apply(
        &mut self,
        access: &Access,
        cmd: Command,
        at: DateTime<FixedOffset>,
        expect: &[Expect],
    ) -> Result<Confirmed, BackendError> {
        let state = self.store.state()?;
        access.authorize(state, &cmd)?;
        if let Command::Revert { revert } = &cmd {
            // An undo puts records back as they were: only one this engine handed out for the
            // same person's own change is taken, never one made up by a client.
            let known = self
                .undo
                .get(&revert.seq)
                .is_some_and(|(by, undo)| *by == access.account && *undo == cmd);
            if !known {
                return Err(BackendError::UndoUnknown { seq: revert.seq });
            }
        }
        check_expected(&self.last, state, expect)?;
        let ctx = Ctx {
            at,
            user: access.account.clone(),
        };
        let executed = self.store.execute(cmd.clone(), &ctx)?;
        if let Command::Revert { revert } = &cmd {
            self.undo.remove(&revert.seq);
        }
        let summary = summarize(&cmd, &executed.outcome);
        self.remember(&ctx, &executed.changes, &executed.previous);
        if let Some(finished) = &mut self.finished {
            finished.follow(&executed.changes);
        }
        if let Some(undo) = &executed.undo {
            self.undo
                .insert(executed.seq, (access.account.clone(), undo.clone()));
            while self.undo.len() > UNDO_KEPT {
                self.undo.pop_first();
            }
        }
        Ok(Confirmed {
            receipt: Receipt {
                seq: executed.seq,
                outcome: executed.outcome,
                undo: executed.undo,
            },
            by: ctx.user,
            at,
            summary,
            changes: executed.changes,
            previous: executed.previous,
        })
    }

    /// Several commands, all or nothing, in `access`'s name.
    pub fn apply_all(
        &mut self,
        access: &Access,
        cmds: Vec<Command>,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<Receipt>, BackendError> {
        let state = self.store.state()?;
        for cmd in &cmds {
            if matches!(cmd, Command::Revert { .. }) {
                return Err(BackendError::Refused(
                    crate::domain::DomainError::NothingToUndo,
                ));
            }
            access.authorize(state, cmd)?;
        }
        let ctx = Ctx {
            at,
            user: access.account.clone(),
        };
        // A batch is not followed record by record: the finished actions are read again.
        self.finished = None;
        let receipts = self
            .store
            .execute_all(cmds.into_iter().map(|c| (c, ctx.clone())))?;
        Ok(receipts
            .into_iter()
            .map(|r| Receipt {
                seq: r.seq,
                outcome: r.outcome,
                undo: None,
            })
            .collect())
    }

    fn remember(&mut self, ctx: &Ctx, changes: &Changes, previous: &Changes) {
        let mut note = |record: RecordRef, fields: Vec<RecordField>| {
            if !fields.is_empty() {
                self.last.insert(
                    record,
                    LastChange {
                        by: ctx.user.clone(),
                        at: ctx.at,
                        fields,
                    },
                );
            }
        };
        for case in &changes.cases {
            if let Some(old) = previous.cases.iter().find(|c| c.number == case.number) {
                note(RecordRef::Case(case.number), case_fields(old, case));
            }
        }
        for action in &changes.actions {
            if let Some(old) = previous.actions.iter().find(|a| a.id == action.id) {
                note(RecordRef::Action(action.id), action_fields(old, action));
            }
        }
        for conference in &changes.conferences {
            if let Some(old) = previous.conferences.iter().find(|c| c.id == conference.id) {
                note(
                    RecordRef::Conference(conference.id),
                    conference_fields(old, conference),
                );
            }
        }
    }

    fn visible_case(&mut self, access: &Access, case: CaseNumber) -> Result<(), BackendError> {
        let state = self.store.state()?;
        match state.cases.get(&case) {
            Some(c) if !access.sees_case(state, c) => Err(Denied::NotYourCase {
                case,
                teams: access.teams.clone(),
            }
            .into()),
            _ => Ok(()),
        }
    }

    /// `access`'s own latest change still to be taken back (kept by the store, or read from the
    /// journal); its undo is remembered so that [`Engine::apply`] accepts it.
    pub fn last_own_change(
        &mut self,
        access: &Access,
    ) -> Result<Option<super::OwnChange>, BackendError> {
        let Some(change) = self.store.last_change_of(&access.account)? else {
            return Ok(None);
        };
        if let Some(undo) = &change.undo {
            self.undo
                .insert(change.seq, (access.account.clone(), undo.clone()));
            while self.undo.len() > UNDO_KEPT {
                self.undo.pop_first();
            }
        }
        Ok(Some(super::OwnChange {
            seq: change.seq,
            at: change.at,
            records: undo_records(change.undo.as_ref()),
            kind: change.kind,
            undo: change.undo,
        }))
    }

    /// A case's notes as `access` may read them.
    pub fn notes_of(
        &mut self,
        access: &Access,
        case: CaseNumber,
    ) -> Result<Vec<Note>, BackendError> {
        self.visible_case(access, case)?;
        let mut notes = self.store.notes_of(case)?;
        // The timelines of the cases merged into it are its own, in the order they happened.
        let merged = self.store.state()?.merged_into(case);
        if !merged.is_empty() {
            for number in merged {
                notes.extend(self.store.notes_of(number)?);
            }
            notes.sort_by_key(|n| n.at);
        }
        let state = self.store.state()?;
        Ok(match state.cases.get(&case) {
            Some(c) => access.notes(c, notes),
            None => Vec::new(),
        })
    }

    /// All of a case's actions as `access` may see them.
    pub fn case_actions(
        &mut self,
        access: &Access,
        case: CaseNumber,
    ) -> Result<Vec<Action>, BackendError> {
        self.visible_case(access, case)?;
        let actions = self.store.actions_of(case)?;
        let state = self.store.state()?;
        Ok(match state.cases.get(&case) {
            Some(c) => actions.iter().map(|a| access.action(c, a)).collect(),
            None => actions,
        })
    }

    /// The actions done or dropped on or after `since`, of the cases `access` may see.
    pub fn finished_since(
        &mut self,
        access: &Access,
        since: NaiveDate,
    ) -> Result<Vec<Action>, BackendError> {
        let fresh = match &self.finished {
            Some(kept) => kept.horizon > since,
            None => true,
        };
        if fresh {
            let mut kept = Finished {
                horizon: since,
                actions: BTreeMap::new(),
            };
            for action in self.store.all_actions()? {
                if kept.keeps(&action) {
                    kept.actions.insert(action.id, action);
                }
            }
            self.finished = Some(kept);
        }
        let actions: Vec<Action> = self
            .finished
            .as_ref()
            .map(|kept| {
                kept.actions
                    .values()
                    .filter(|a| a.closed_on.is_some_and(|d| d >= since))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let state = self.store.state()?;
        Ok(shown_actions(access, state, actions))
    }

    /// Every action of the cases `access` may see.
    pub fn all_actions(&mut self, access: &Access) -> Result<Vec<Action>, BackendError> {
        let actions = self.store.all_actions()?;
        let state = self.store.state()?;
        Ok(shown_actions(access, state, actions))
    }

    /// Open actions due by `last`, as `access` may see them.
    pub fn open_actions_due(
        &mut self,
        access: &Access,
        last: Option<NaiveDate>,
    ) -> Result<Vec<Action>, BackendError> {
        let actions = self.store.open_actions_due(last)?;
        if access.sees_all() && !access.masked_only() {
            return Ok(actions);
        }
        let state = self.store.state()?;
        Ok(shown_actions(access, state, actions))
    }

    /// The users `access` may see.
    pub fn users(&mut self, access: &Access) -> Result<Vec<User>, BackendError> {
        let state = self.store.state()?;
        Ok(visible_users(access, state).into_values().collect())
    }

    /// A new conference as proposed on `date`, lasting `length_minutes` (coordinators and
    /// admins).
    // The parts of the conference asked for, as the trait's method has them, plus who asks.
    #[allow(clippy::too_many_arguments)]
    pub fn propose(
        &mut self,
        access: &Access,
        date: NaiveDate,
        kind: crate::domain::vocab::ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: crate::i18n::Lang,
        length_minutes: u16,
    ) -> Result<crate::domain::NewConference, BackendError> {
        access.coordinates()?;
        let state = self.store.state()?;
        Ok(state.prepare_conference(date, kind, title, facilitator, lang, length_minutes))
    }

    /// Runs `check` (coordinators and admins).
    pub fn check(
        &mut self,
        access: &Access,
        anchor: Option<&str>,
    ) -> Result<CheckSummary, BackendError> {
        access.coordinates()?;
        let anchor = anchor
            .map(|text| {
                text.parse::<crate::store::check::Anchor>()
                    .map_err(|()| BackendError::Failed {
                        kind: super::FailureKind::Other,
                        ko: format!("'{text}'은(는) 기준점이 아닙니다: SEQ:HASH 꼴로 주세요"),
                        en: format!("'{text}' is not an anchor: give it as SEQ:HASH"),
                    })
            })
            .transpose()?;
        let report = crate::store::check::check_open(&mut self.store, anchor.as_ref())?;
        Ok(CheckSummary::of(&report, anchor.as_ref()))
    }

    /// Copies the journal to `emit`, verifying it (coordinators and admins).
    pub fn backup(
        &mut self,
        access: &Access,
        emit: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<crate::transfer::backup::BackupReport, BackendError> {
        access.coordinates()?;
        access.may_unmask()?;
        crate::transfer::backup::copy_journal(self.store.dir(), emit).map_err(transfer_error)
    }

    /// Fills an empty store with synthetic demo data (admins of a new or demo store).
    pub fn demo(
        &mut self,
        access: &Access,
        cases: usize,
        seed: u64,
        at: DateTime<FixedOffset>,
    ) -> Result<(usize, usize), BackendError> {
        access.coordinates()?;
        let state = self.store.state()?;
        let real_office = state.office.as_ref().is_some_and(|o| !o.demo);
        if !state.cases.is_empty() || real_office {
            return Err(BackendError::Refused(
                crate::domain::DomainError::DemoNeedsEmpty {
                    cases: state.cases.len(),
                },
            ));
        }
        let commands = crate::transfer::demo::generate(state, cases, seed, at);
        self.finished = None;
        self.store.execute_all(commands)?;
        let state = self.store.state()?;
        Ok((state.cases.len(), state.actions.len()))
    }
}

/// The records an undo puts back, in words: `2026-0003`, `2026-0003/2`, `#4`.
fn undo_records(undo: Option<&Command>) -> Vec<String> {
    let mut records = Vec::new();
    if let Some(Command::Revert { revert }) = undo {
        records.extend(revert.cases.iter().map(|c| c.after.number.to_string()));
        records.extend(revert.actions.iter().map(|a| a.after.id.to_string()));
        records.extend(
            revert
                .notes
                .iter()
                .map(|n| n.case.to_string())
                .filter(|n| !records.contains(n))
                .collect::<Vec<_>>(),
        );
        records.extend(
            revert
                .conferences
                .iter()
                .map(|c| format!("#{}", c.after.id)),
        );
    }
    records
}

/// Refuses when a record in `expect` is no longer at the revision it was read at, saying who
/// changed what when this engine made that change.
fn check_expected(
    last: &HashMap<RecordRef, LastChange>,
    state: &State,
    expect: &[Expect],
) -> Result<(), BackendError> {
    for e in expect {
        let now = match e.record {
            RecordRef::Case(n) => state.cases.get(&n).map(case_rev),
            RecordRef::Action(id) => state.actions.get(&id).map(action_rev),
            RecordRef::Conference(id) => state.conferences.get(&id).map(conference_rev),
        };
        // A record that is gone, or not in memory (finished), is left to the rules.
        if let Some(now) = now
            && now != e.rev
        {
            let last = last.get(&e.record);
            return Err(BackendError::Stale(Stale {
                record: e.record,
                by: last.map(|l| l.by.clone()),
                at: last.map(|l| l.at),
                fields: last.map(|l| l.fields.clone()).unwrap_or_default(),
            }));
        }
    }
    Ok(())
}

/// Whether `case` passes `filter`: open ones unless closed ones are asked for, a team that
/// leads it, cooperates or owes an action (`owes` says whether the filter's team owes one on a
/// case), a level, a stage.
pub fn lets_through(
    filter: &CaseFilter,
    case: &crate::domain::Case,
    owes: impl Fn(CaseNumber) -> bool,
) -> bool {
    // A merged case is only a pointer to the case it became part of.
    case.merged_into.is_none()
        && (filter.closed || filter.stage.is_some() || case.is_open())
        && filter
            .team
            .as_ref()
            .is_none_or(|t| case.involves(t) || owes(case.number))
        && filter.level.is_none_or(|l| case.level == l)
        && filter.stage.is_none_or(|s| case.stage == s)
}

fn shown_actions(access: &Access, state: &State, actions: Vec<Action>) -> Vec<Action> {
    actions
        .into_iter()
        .filter_map(|a| {
            let case = state.cases.get(&a.id.case)?;
            access
                .sees_case(state, case)
                .then(|| access.action(case, &a))
        })
        .collect()
}

fn visible_users(access: &Access, state: &State) -> BTreeMap<String, User> {
    if access.coordinates().is_ok() {
        return state.users.clone();
    }
    state
        .users
        .get(&access.account)
        .map(|u| (u.account.clone(), u.clone()))
        .into_iter()
        .collect()
}

fn transfer_error(e: crate::transfer::TransferError) -> BackendError {
    use crate::i18n::{Lang, Localize};
    match e {
        crate::transfer::TransferError::Store(e) => BackendError::from(e),
        e => BackendError::Failed {
            kind: super::FailureKind::Io,
            ko: e.localize(Lang::Ko),
            en: e.localize(Lang::En),
        },
    }
}
