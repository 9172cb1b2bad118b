//! The case conference's rules: proposing an agenda, preparing it, running it item by item
//! against a clock, recording decisions and case changes, closing, and amending what is closed.
//! Pure: no IO, no clock (every moment comes from the command's `Ctx`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

use super::command::{Changes, ConferenceUpdate, Ctx, NewConference, Outcome, PlannedItem};
use super::error::{ConferenceProblem, DomainError, Field};
use super::ids::{ActionId, CaseNumber, TeamCode};
use super::input::{optional, required};
use super::limits::{self, DEFAULT_BUDGET_MINUTES, MAX_AGENDA_ITEMS, MAX_BUDGET_MINUTES};
use super::model::{
    AgendaItem, AgendaReason, Amendment, Attendee, Case, Conference, ConferenceState, ItemChange,
};
use super::state::State;
use super::vocab::{ConferenceKind, Level, NoteKind, Stage};
use crate::i18n::Lang;

fn problem(p: ConferenceProblem) -> DomainError {
    DomainError::Conference(p)
}

/// Adds the time since the clock last started to the current item, and restarts the clock at
/// `at` (when it runs). Every entry banks the time, so a crash loses only what came after the
/// last entry.
fn bank(conf: &mut Conference, at: DateTime<FixedOffset>) {
    if let Some(since) = conf.clock_since {
        add_seconds(conf, since, at);
        conf.clock_since = Some(at);
    }
    conf.touched_at = at;
}

fn add_seconds(conf: &mut Conference, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) {
    let seconds = u32::try_from((to - from).num_seconds().max(0)).unwrap_or(u32::MAX);
    if let Some(item) = conf.agenda.get_mut(conf.current) {
        item.used_seconds = item.used_seconds.saturating_add(seconds);
    }
}

impl State {
    /// Who an attendee is, in words: `WEE Wee센터 · 김선생`, `담임 · 이선생`, `보호자`.
    pub fn attendee_label(&self, a: &Attendee, lang: Lang) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !a.role.needs_team() {
            parts.push(a.role.label(lang).to_string());
        }
        if let Some(team) = &a.team {
            parts.push(self.teams.get(team).map_or_else(
                || team.to_string(),
                |t| format!("{} {}", t.code, t.name(lang)),
            ));
        }
        if let Some(person) = &a.person {
            parts.push(person.clone());
        }
        parts.join(" · ")
    }

    /// The conference with this number.
    pub fn conference(&self, id: u32) -> Result<&Conference, DomainError> {
        self.conferences
            .get(&id)
            .ok_or_else(|| problem(ConferenceProblem::Unknown { id }))
    }

    /// The conference that is running, if one is.
    pub fn running_conference(&self) -> Option<&Conference> {
        self.conferences
            .values()
            .find(|c| c.state == ConferenceState::Running)
    }

    /// The last conference held (closed or running) on or before `date` — before conference
    /// `id` when it is given; it decides what counts as "since the last conference".
    pub fn previous_conference(&self, date: NaiveDate, id: Option<u32>) -> Option<&Conference> {
        self.conferences
            .values()
            .filter(|c| c.state != ConferenceState::Planned && Some(c.id) != id)
            .filter(|c| c.date < date || (c.date == date && id.is_none_or(|id| c.id < id)))
            .max_by_key(|c| (c.date, c.id))
    }

    /// What the conferences before `before` (a date) decided on `case`, most recent first:
    /// `(conference, item)`.
    pub fn past_items(
        &self,
        case: CaseNumber,
        before: (NaiveDate, u32),
    ) -> Vec<(&Conference, &AgendaItem)> {
        let mut found: Vec<(&Conference, &AgendaItem)> = self
            .conferences
            .values()
            .filter(|c| (c.date, c.id) < before && c.state != ConferenceState::Planned)
            .filter_map(|c| c.item(case).map(|(_, item)| (c, item)))
            .collect();
        found.sort_by_key(|(c, _)| std::cmp::Reverse((c.date, c.id)));
        found
    }

    /// The agenda a conference on `date` lasting `length_minutes` should start from: the
    /// cases due for it ([`State::due_for_conference`]), most pressing first, as many as fit
    /// its length at the default time budget (always at least the most pressing one). The
    /// rest are "also due" ([`State::also_due`]).
    pub fn propose_agenda(&self, date: NaiveDate, length_minutes: u16) -> Vec<PlannedItem> {
        let mut used: u32 = 0;
        self.due_for_conference(date, None)
            .into_iter()
            .take_while(|item| {
                used += u32::from(item.budget_minutes);
                used <= u32::from(length_minutes) || used == u32::from(item.budget_minutes)
            })
            .collect()
    }

    /// The cases due for conference `conf` that are not on its agenda, most pressing first,
    /// with their reasons (a referral unanswered past the days `rule` gives among them): what
    /// the coordinator may still add.
    pub fn also_due(
        &self,
        conf: &Conference,
        rule: &super::referral::ReferralRule,
        calendar: &super::holidays::Calendar,
    ) -> Vec<PlannedItem> {
        let mut due = self.due_for_conference(conf.date, Some(conf.id));
        self.add_unanswered_referrals(&mut due, conf.date, rule, calendar);
        due.into_iter()
            .filter(|p| conf.item(p.case).is_none())
            .collect()
    }

    /// Every case due for a conference on `date` (conference `id` itself not counting as the
    /// last one), most pressing first: every open case that is at 고위기, has actions overdue
    /// by that day, is at the 사례회의 stage, is due for review by that day, was deferred last
    /// time, or was registered since the last conference and not on its agenda (every case
    /// still at intake when there was none) — up to [`MAX_AGENDA_ITEMS`].
    pub fn due_for_conference(&self, date: NaiveDate, id: Option<u32>) -> Vec<PlannedItem> {
        let previous = self.previous_conference(date, id);
        let deferred: Vec<CaseNumber> = previous
            .map(|c| {
                c.agenda
                    .iter()
                    .filter(|i| i.deferred)
                    .map(|i| i.case)
                    .collect()
            })
            .unwrap_or_default();
        let overdue: std::collections::BTreeSet<CaseNumber> = self
            .actions
            .values()
            .filter(|a| a.is_open() && a.due_on < date)
            .map(|a| a.id.case)
            .collect();
        let mut items: Vec<(Level, PlannedItem)> = Vec::new();
        for case in self.cases.values().filter(|c| c.is_open()) {
            let mut reasons = Vec::new();
            if case.level == Level::High {
                reasons.push(AgendaReason::HighCrisis);
            }
            if overdue.contains(&case.number) {
                reasons.push(AgendaReason::OverdueActions);
            }
            if case.stage == Stage::Conference {
                reasons.push(AgendaReason::SentToConference);
            }
            if case.review_on.is_some_and(|r| r <= date) {
                reasons.push(AgendaReason::ReviewDue);
            }
            if deferred.contains(&case.number) {
                reasons.push(AgendaReason::Deferred);
            }
            // New: registered after the last conference was prepared and not discussed there
            // (with no conference yet: still at intake).
            let new = match previous {
                Some(prev) => case.opened_at > prev.created_at && prev.item(case.number).is_none(),
                None => case.stage == Stage::Intake,
            };
            if new {
                reasons.push(AgendaReason::NewIntake);
            }
            if !reasons.is_empty() {
                items.push((
                    case.level,
                    PlannedItem {
                        case: case.number,
                        reasons,
                        budget_minutes: DEFAULT_BUDGET_MINUTES,
                    },
                ));
            }
        }
        // Most pressing reason first, then the higher level, then the older case.
        items.sort_by(|(la, a), (lb, b)| {
            (a.reasons.first(), std::cmp::Reverse(*la), a.case).cmp(&(
                b.reasons.first(),
                std::cmp::Reverse(*lb),
                b.case,
            ))
        });
        // An agenda holds at most MAX_AGENDA_ITEMS; past that, the least pressing wait.
        items
            .into_iter()
            .take(MAX_AGENDA_ITEMS)
            .map(|(_, item)| item)
            .collect()
    }

    /// The teams involved in the agenda's cases (lead and cooperating), in the team list's
    /// order, each expected once and marked absent until the coordinator marks them present.
    pub fn expected_attendees(&self, agenda: &[PlannedItem]) -> Vec<Attendee> {
        let involved: std::collections::BTreeSet<&TeamCode> = agenda
            .iter()
            .filter_map(|i| self.cases.get(&i.case))
            .flat_map(|c| std::iter::once(&c.lead_team).chain(&c.co_teams))
            .collect();
        self.teams
            .keys()
            .filter(|t| involved.contains(t))
            .map(|t| Attendee::for_team(t.clone()))
            .collect()
    }

    /// A conference for `date` lasting `length_minutes` with the proposed agenda and the
    /// teams it involves.
    pub fn prepare_conference(
        &self,
        date: NaiveDate,
        kind: ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: Lang,
        length_minutes: u16,
    ) -> NewConference {
        let agenda = self.propose_agenda(date, length_minutes);
        let attendees = self.expected_attendees(&agenda);
        NewConference {
            date,
            title: title.unwrap_or_else(|| match lang {
                Lang::Ko => format!("{date} {} 사례회의", kind.ko()),
                Lang::En => format!("{date} {} case conference", kind.en()),
            }),
            kind,
            facilitator,
            agenda,
            attendees,
            length_minutes,
            place: None,
            time: None,
        }
    }

    fn agenda_case(&self, case: CaseNumber) -> Result<&Case, DomainError> {
        // A merged case is refused as such (its agenda item belongs to the case it points to).
        let found = self.case(case)?;
        if !found.is_open() {
            return Err(problem(ConferenceProblem::CaseNotOpen {
                case,
                stage: found.stage,
            }));
        }
        Ok(found)
    }

    /// Checks a planned agenda; `keep` is the agenda as it is (its items keep what was recorded
    /// on them, and those may not be dropped while the conference runs).
    fn agenda(
        &self,
        planned: &[PlannedItem],
        keep: &[AgendaItem],
        running: bool,
    ) -> Result<Vec<AgendaItem>, DomainError> {
        if planned.len() > MAX_AGENDA_ITEMS {
            return Err(problem(ConferenceProblem::TooManyItems {
                count: planned.len(),
            }));
        }
        let mut out: Vec<AgendaItem> = Vec::with_capacity(planned.len());
        for p in planned {
            if out.iter().any(|i| i.case == p.case) {
                return Err(problem(ConferenceProblem::TwiceOnAgenda { case: p.case }));
            }
            if !(1..=MAX_BUDGET_MINUTES).contains(&p.budget_minutes) {
                return Err(problem(ConferenceProblem::BadBudget {
                    case: p.case,
                    minutes: p.budget_minutes,
                }));
            }
            let existing = keep.iter().find(|i| i.case == p.case);
            if existing.is_none() {
                self.agenda_case(p.case)?;
            }
            let mut reasons: Vec<AgendaReason> = Vec::new();
            for r in &p.reasons {
                if !reasons.contains(r) {
                    reasons.push(*r);
                }
            }
            if reasons.is_empty() {
                reasons.push(AgendaReason::Added);
            }
            out.push(match existing {
                Some(item) => AgendaItem {
                    reasons,
                    budget_minutes: p.budget_minutes,
                    ..item.clone()
                },
                None => AgendaItem {
                    case: p.case,
                    reasons,
                    budget_minutes: p.budget_minutes,
                    used_seconds: 0,
                    decisions: Vec::new(),
                    actions: Vec::new(),
                    changes: Vec::new(),
                    deferred: false,
                },
            });
        }
        if running
            && let Some(gone) = keep
                .iter()
                .find(|i| i.touched() && !out.iter().any(|o| o.case == i.case))
        {
            return Err(problem(ConferenceProblem::ItemHasRecord {
                case: gone.case,
            }));
        }
        Ok(out)
    }

    /// Checks an attendance list; `new_team` is an agency being added with it (not in the
    /// team list yet).
    fn attendees(
        &self,
        list: &[Attendee],
        new_team: Option<&TeamCode>,
    ) -> Result<Vec<Attendee>, DomainError> {
        let mut out: Vec<Attendee> = Vec::with_capacity(list.len());
        for a in list {
            match &a.team {
                Some(team) if Some(team) != new_team => {
                    self.known_team(team)?;
                }
                Some(_) => {}
                None if a.role.needs_team() => {
                    return Err(problem(ConferenceProblem::AttendeeWithoutTeam));
                }
                None => {}
            }
            let person = optional(a.person.as_deref(), Field::Person, limits::NAME)?;
            if out
                .iter()
                .any(|o| o.team == a.team && o.role == a.role && o.person == person)
            {
                return Err(problem(ConferenceProblem::TwiceAttending {
                    who: a
                        .team
                        .as_ref()
                        .map_or_else(|| a.role.code().to_string(), |t| t.to_string()),
                }));
            }
            out.push(Attendee {
                team: a.team.clone(),
                person,
                role: a.role,
                status: a.status,
            });
        }
        Ok(out)
    }

    /// Adds `attendee` to conference `id` (an unnamed seat of the same team and role gets the
    /// name), with `new_team` first added to the team list when given.
    pub(crate) fn add_attendee(
        &self,
        id: u32,
        attendee: &Attendee,
        new_team: Option<&super::model::Team>,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.open_conference(id)?;
        let mut changes = Changes::default();
        if let Some(team) = new_team {
            if attendee.team.as_ref() != Some(&team.code) {
                return Err(problem(ConferenceProblem::NewTeamNotAttending {
                    team: team.code.clone(),
                }));
            }
            let (_, added) = self.add_team(team)?;
            changes.teams = added.teams;
        }
        let mut list = old.attendees.clone();
        let seat = list.iter_mut().find(|a| {
            a.team == attendee.team
                && a.role == attendee.role
                && a.person.is_none()
                && attendee.person.is_some()
        });
        match seat {
            Some(seat) => {
                seat.person = attendee.person.clone();
                seat.status = attendee.status;
            }
            None => list.push(attendee.clone()),
        }
        let mut conf = old.clone();
        conf.attendees = self.attendees(&list, new_team.map(|t| &t.code))?;
        conf.touched_at = ctx.at;
        changes.conferences.push(conf);
        Ok((Outcome::Done, changes))
    }

    pub(crate) fn create_conference(
        &self,
        new: &NewConference,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let title = required(&new.title, Field::ConferenceTitle, limits::LINE, false)?;
        let facilitator = required(&new.facilitator, Field::Person, limits::NAME, false)?;
        conference_date(new.date, ctx.today())?;
        let agenda = self.agenda(&new.agenda, &[], false)?;
        let attendees = self.attendees(&new.attendees, None)?;
        length(new.length_minutes)?;
        let place = optional(new.place.as_deref(), Field::Place, limits::NAME)?;
        let mut counters = self.counters.clone();
        counters.conferences = counters.conferences.saturating_add(1);
        let id = counters.conferences;
        let conference = Conference {
            id,
            date: new.date,
            title,
            kind: new.kind,
            facilitator,
            attendees,
            length_minutes: new.length_minutes,
            place,
            time: new.time,
            next: None,
            agenda,
            state: ConferenceState::Planned,
            current: 0,
            clock_since: None,
            touched_at: ctx.at,
            created_at: ctx.at,
            created_by: ctx.user.clone(),
            started_at: None,
            closed_at: None,
            amendments: Vec::new(),
        };
        Ok((
            Outcome::Conference { id },
            Changes {
                conferences: vec![conference],
                counters: Some(counters),
                ..Changes::default()
            },
        ))
    }

    /// The conference, when it may still be changed (planned or running).
    fn open_conference(&self, id: u32) -> Result<&Conference, DomainError> {
        let conf = self.conference(id)?;
        if conf.state == ConferenceState::Closed {
            return Err(problem(ConferenceProblem::Closed { id }));
        }
        Ok(conf)
    }

    /// The conference, when it runs.
    pub(crate) fn running(&self, id: u32) -> Result<&Conference, DomainError> {
        let conf = self.open_conference(id)?;
        if conf.state != ConferenceState::Running {
            return Err(problem(ConferenceProblem::NotRunning {
                id,
                state: conf.state,
            }));
        }
        Ok(conf)
    }

    fn running_item(&self, id: u32, case: CaseNumber) -> Result<(&Conference, usize), DomainError> {
        let conf = self.running(id)?;
        let (index, _) = conf
            .item(case)
            .ok_or_else(|| problem(ConferenceProblem::NotOnAgenda { id, case }))?;
        Ok((conf, index))
    }

    pub(crate) fn update_conference(
        &self,
        id: u32,
        change: &ConferenceUpdate,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.open_conference(id)?;
        let mut conf = old.clone();
        if let Some(title) = &change.title {
            conf.title = required(title, Field::ConferenceTitle, limits::LINE, false)?;
        }
        if let Some(person) = &change.facilitator {
            conf.facilitator = required(person, Field::Person, limits::NAME, false)?;
        }
        if let Some(kind) = change.kind {
            conf.kind = kind;
        }
        if let Some(date) = change.date.filter(|d| *d != old.date) {
            conference_date(date, ctx.today())?;
            conf.date = date;
        }
        if let Some(planned) = &change.agenda {
            let running = old.state == ConferenceState::Running;
            if running {
                bank(&mut conf, ctx.at);
            }
            let current = conf.agenda.get(conf.current).map(|i| i.case);
            conf.agenda = self.agenda(planned, &conf.agenda, running)?;
            if running && conf.agenda.is_empty() {
                return Err(problem(ConferenceProblem::EmptyAgenda { id }));
            }
            // The item under discussion stays under discussion wherever it moved.
            conf.current = current
                .and_then(|c| conf.agenda.iter().position(|i| i.case == c))
                .unwrap_or(conf.current)
                .min(conf.agenda.len().saturating_sub(1));
        }
        if let Some(list) = &change.attendees {
            conf.attendees = self.attendees(list, None)?;
        }
        if let Some(minutes) = change.length_minutes {
            length(minutes)?;
            conf.length_minutes = minutes;
        }
        if let Some(place) = &change.place {
            conf.place = optional(Some(place), Field::Place, limits::NAME)?;
        }
        if change.clear_times {
            conf.time = None;
            conf.next = None;
        }
        if let Some(time) = change.time {
            conf.time = Some(time);
        }
        if let Some(next) = change.next {
            if next.date <= conf.date {
                return Err(problem(ConferenceProblem::NextNotAfter {
                    next: next.date,
                    date: conf.date,
                }));
            }
            conference_date(next.date, ctx.today())?;
            conf.next = Some(next);
        }
        if conf == *old {
            return Err(DomainError::NothingToChangeConference { id });
        }
        conf.touched_at = ctx.at;
        Ok(one(conf))
    }

    pub(crate) fn start_conference(
        &self,
        id: u32,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.conference(id)?;
        if old.state != ConferenceState::Planned {
            return Err(problem(ConferenceProblem::NotPlanned {
                id,
                state: old.state,
            }));
        }
        if let Some(other) = self.running_conference() {
            return Err(problem(ConferenceProblem::OtherRunning { id: other.id }));
        }
        if old.agenda.is_empty() {
            return Err(problem(ConferenceProblem::EmptyAgenda { id }));
        }
        let mut conf = old.clone();
        conf.state = ConferenceState::Running;
        conf.current = 0;
        conf.started_at = Some(ctx.at);
        conf.clock_since = Some(ctx.at);
        conf.touched_at = ctx.at;
        Ok(one(conf))
    }

    pub(crate) fn open_item(
        &self,
        id: u32,
        case: CaseNumber,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let (old, index) = self.running_item(id, case)?;
        let mut conf = old.clone();
        bank(&mut conf, ctx.at);
        conf.current = index;
        Ok(one(conf))
    }

    pub(crate) fn record_decision(
        &self,
        id: u32,
        case: CaseNumber,
        text: &str,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let (old, index) = self.running_item(id, case)?;
        let text = required(text, Field::Decision, limits::TEXT, true)?;
        let mut conf = old.clone();
        bank(&mut conf, ctx.at);
        if let Some(item) = conf.agenda.get_mut(index) {
            item.decisions.push(text.clone());
        }
        // The decision goes on the case's timeline too, where the case screen shows it.
        let (_, mut changes) = self.add_note(case, NoteKind::Decision, &text, false, ctx)?;
        let n = changes.notes.first().map_or(0, |note| note.n);
        changes.conferences.push(conf);
        Ok((Outcome::Note { case, n }, changes))
    }

    pub(crate) fn defer_item(
        &self,
        id: u32,
        case: CaseNumber,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let (old, index) = self.running_item(id, case)?;
        let mut conf = old.clone();
        bank(&mut conf, ctx.at);
        if let Some(item) = conf.agenda.get_mut(index) {
            if item.deferred {
                return Err(DomainError::NothingToChangeConference { id });
            }
            item.deferred = true;
        }
        if index == conf.current && index + 1 < conf.agenda.len() {
            conf.current = index + 1;
        }
        Ok(one(conf))
    }

    pub(crate) fn pause_conference(
        &self,
        id: u32,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.running(id)?;
        if old.clock_since.is_none() {
            return Err(problem(ConferenceProblem::ClockStopped { id }));
        }
        let mut conf = old.clone();
        bank(&mut conf, ctx.at);
        conf.clock_since = None;
        Ok(one(conf))
    }

    pub(crate) fn resume_conference(
        &self,
        id: u32,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.running(id)?;
        let mut conf = old.clone();
        if let Some(since) = conf.clock_since {
            // casedesk stopped without stopping the clock: what came after the last entry is
            // unknown, so the time up to it counts and nothing after it.
            let last = conf.touched_at;
            add_seconds(&mut conf, since, last);
        }
        conf.clock_since = Some(ctx.at);
        conf.touched_at = ctx.at;
        Ok(one(conf))
    }

    pub(crate) fn close_conference(
        &self,
        id: u32,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.running(id)?;
        let mut conf = old.clone();
        bank(&mut conf, ctx.at);
        conf.clock_since = None;
        conf.state = ConferenceState::Closed;
        conf.closed_at = Some(ctx.at);
        Ok(one(conf))
    }

    pub(crate) fn amend_conference(
        &self,
        id: u32,
        case: Option<CaseNumber>,
        text: &str,
        ctx: &Ctx,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.conference(id)?;
        if old.state != ConferenceState::Closed {
            return Err(problem(ConferenceProblem::NotClosed { id }));
        }
        if let Some(case) = case
            && old.item(case).is_none()
        {
            return Err(problem(ConferenceProblem::NotOnAgenda { id, case }));
        }
        let text = required(text, Field::Amendment, limits::TEXT, true)?;
        let mut conf = old.clone();
        conf.amendments.push(Amendment {
            at: ctx.at,
            by: ctx.user.clone(),
            case,
            text,
        });
        conf.touched_at = ctx.at;
        Ok(one(conf))
    }

    /// Records on the running conference's item what a case change decided there, banking the
    /// clock; `old` and `new` are the case before and after.
    pub(crate) fn record_case_change(
        &self,
        id: u32,
        old: &Case,
        new: &Case,
        ctx: &Ctx,
    ) -> Result<Conference, DomainError> {
        let (conf, index) = self.running_item(id, old.number)?;
        let mut conf = conf.clone();
        bank(&mut conf, ctx.at);
        if let Some(item) = conf.agenda.get_mut(index) {
            if new.level != old.level {
                item.changes.push(ItemChange::Level {
                    from: old.level,
                    to: new.level,
                });
            }
            if new.stage != old.stage {
                item.changes.push(ItemChange::Stage {
                    from: old.stage,
                    to: new.stage,
                });
            }
            // A review date is recorded even when it stays the same: the conference set it.
            if new.review_on != old.review_on || new == old {
                item.changes.push(ItemChange::Review {
                    from: old.review_on,
                    to: new.review_on,
                });
            }
        }
        Ok(conf)
    }

    /// Records on the running conference's item an action it agreed, banking the clock.
    pub(crate) fn record_action(
        &self,
        id: u32,
        action: ActionId,
        ctx: &Ctx,
    ) -> Result<Conference, DomainError> {
        let (conf, index) = self.running_item(id, action.case)?;
        let mut conf = conf.clone();
        bank(&mut conf, ctx.at);
        if let Some(item) = conf.agenda.get_mut(index) {
            item.actions.push(action);
        }
        Ok(conf)
    }
}

fn one(conf: Conference) -> (Outcome, Changes) {
    (
        Outcome::Done,
        Changes {
            conferences: vec![conf],
            ..Changes::default()
        },
    )
}

/// A conference's length must be between a minute and [`limits::MAX_CONFERENCE_MINUTES`].
fn length(minutes: u16) -> Result<(), DomainError> {
    if (1..=limits::MAX_CONFERENCE_MINUTES).contains(&minutes) {
        Ok(())
    } else {
        Err(problem(ConferenceProblem::BadLength { minutes }))
    }
}

/// A conference may be recorded for a past day (a meeting held on paper) up to a year back,
/// and planned up to the usual limit ahead.
fn conference_date(date: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    let days = (date - today).num_days();
    if days > super::state::MAX_DAYS_AHEAD {
        return Err(DomainError::DateTooFar { date, today });
    }
    if days < -366 {
        return Err(problem(ConferenceProblem::TooLongAgo { date, today }));
    }
    Ok(())
}

/// A time of day as people type it: `14:00`, `1400`, `14`, `14시`, `14시 30분`, `오후 2시`,
/// `2pm`, `2:30pm`; `None` when it cannot be read.
pub fn parse_time(input: &str) -> Option<NaiveTime> {
    let text: String = input.trim().to_lowercase().split_whitespace().collect();
    let (afternoon, rest) = if let Some(r) = text.strip_prefix("오후") {
        (Some(true), r.to_string())
    } else if let Some(r) = text.strip_prefix("오전") {
        (Some(false), r.to_string())
    } else if let Some(r) = text.strip_suffix("pm") {
        (Some(true), r.to_string())
    } else if let Some(r) = text.strip_suffix("am") {
        (Some(false), r.to_string())
    } else {
        (None, text)
    };
    let rest = rest.trim_end_matches('분');
    let (hour, minute) = if let Some((h, m)) = rest.split_once(':') {
        (h.to_string(), m.to_string())
    } else if let Some((h, m)) = rest.split_once('시') {
        (
            h.to_string(),
            if m.is_empty() {
                "0".into()
            } else {
                m.to_string()
            },
        )
    } else if rest.len() == 4 && rest.chars().all(|c| c.is_ascii_digit()) {
        let (h, m) = rest.split_at(2);
        (h.to_string(), m.to_string())
    } else {
        (rest.to_string(), "0".to_string())
    };
    let mut hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    match afternoon {
        Some(true) if (1..12).contains(&hour) => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        Some(_) if hour > 12 => return None,
        _ => {}
    }
    NaiveTime::from_hms_opt(hour, minute, 0)
}

#[cfg(test)]
mod tests {
    use super::parse_time;
    use chrono::NaiveTime;

    #[test]
    fn times_are_read_as_people_type_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("14:00"), t(14, 0));
        assert_eq!(parse_time("1430"), t(14, 30));
        assert_eq!(parse_time("9"), t(9, 0));
        assert_eq!(parse_time("14시"), t(14, 0));
        assert_eq!(parse_time("14시 30분"), t(14, 30));
        assert_eq!(parse_time("오후 2시"), t(14, 0));
        assert_eq!(parse_time("2:30pm"), t(14, 30));
        assert_eq!(parse_time("12am"), t(0, 0));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("14:75"), None);
        assert_eq!(parse_time("오후 13시"), None);
        assert_eq!(parse_time("soon"), None);
        assert_eq!(parse_time(""), None);
    }
}
