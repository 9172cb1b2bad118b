//! What the list screens show, worked out from the records: the sorted and filtered case rows,
//! each team's open actions, the due groups and the calendar's marked days — shared by the
//! dashboard, By team and Due — and a selection that stays on its record as the lists change.
//! Pure. The heavy part (`Base`) is redone only when the records, the day or the sort change;
//! each filter key only scans precomputed search text (`view`).

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use crate::domain::dates::week_end;
use crate::domain::vocab::{Concern, DifficultyDomain, Level, fold, fold_nfc};
use crate::domain::{ActionId, CaseNumber, State, TeamCode};

/// How the dashboard's case table is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Earliest open due date first; cases with nothing due last.
    #[default]
    NextDue,
    /// Highest crisis level first.
    Level,
    /// By case number.
    Number,
}

impl Sort {
    /// The next sort in the cycle.
    pub fn next(self) -> Sort {
        match self {
            Sort::NextDue => Sort::Level,
            Sort::Level => Sort::Number,
            Sort::Number => Sort::NextDue,
        }
    }
}

/// One row of the dashboard's case table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRow {
    /// The case.
    pub number: CaseNumber,
    /// Its earliest open due date.
    pub next_due: Option<NaiveDate>,
    /// Its open actions.
    pub open: usize,
    /// Of which overdue.
    pub overdue: usize,
}

/// The numbers at the top of the dashboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Open cases.
    pub open_cases: usize,
    /// Open cases at 고위기.
    pub high_crisis: usize,
    /// Overdue open actions.
    pub overdue: usize,
    /// Open actions due from today to Sunday.
    pub due_this_week: usize,
}

/// One team's section on the By-team screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamGroup {
    /// The team.
    pub team: TeamCode,
    /// Its open actions, earliest (so overdue) first.
    pub actions: Vec<ActionId>,
    /// How many are overdue.
    pub overdue: usize,
}

/// The groups on the Due screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueGroup {
    /// Before today.
    Overdue,
    /// Today.
    Today,
    /// Tomorrow to Sunday.
    ThisWeek,
    /// After this week.
    Later,
}

impl DueGroup {
    /// The group of an action due on `due_on`: the one rule the Due screen's groups and the
    /// counts at the top both follow, so they always agree.
    pub fn of(due_on: NaiveDate, today: NaiveDate, week_end: NaiveDate) -> DueGroup {
        if due_on < today {
            DueGroup::Overdue
        } else if due_on == today {
            DueGroup::Today
        } else if due_on <= week_end {
            DueGroup::ThisWeek
        } else {
            DueGroup::Later
        }
    }
}

/// Folded text a filter looks through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Search {
    cases: Vec<String>,
    actions: Vec<String>,
}

/// An open action as the lists need it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OpenAction {
    id: ActionId,
    due_on: NaiveDate,
    team: TeamCode,
}

/// The part of the lists that depends on the records, the day and the sort only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Base {
    /// Every open case, in the sort order.
    rows: Vec<CaseRow>,
    /// Folded search text per open case (same order as `rows`) and per open action (same order
    /// as `actions`), worked out the first time a filter needs it.
    search: std::sync::OnceLock<Search>,
    /// Open actions of open cases, earliest due first.
    actions: Vec<OpenAction>,
    /// Header counts.
    pub counts: Counts,
    /// Calendar: number of open actions per due day.
    pub due_days: BTreeMap<NaiveDate, usize>,
    today: NaiveDate,
}

/// What the list screens show after the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Dashboard rows.
    pub cases: Vec<CaseRow>,
    /// By-team sections; teams without open actions are left out; most overdue first.
    pub teams: Vec<TeamGroup>,
    /// Due screen groups.
    pub due: Vec<(DueGroup, Vec<ActionId>)>,
    /// True once `teams` and `due` are worked out for this filter.
    pub actions_ready: bool,
    needle: String,
}

/// Works out the record-dependent part of the lists.
pub fn base(state: &State, today: NaiveDate, sort: Sort) -> Base {
    let week_end = week_end(today);
    // Actions come in case order (their ids start with the case), so each case's figures are
    // gathered in one pass, and met again in the same order as the cases.
    let mut per_case: Vec<(CaseNumber, Option<NaiveDate>, usize, usize)> = Vec::new();
    let mut counts = Counts::default();
    let mut due_days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut actions = Vec::new();
    let mut case_open = (None, false);
    for action in state.actions.values().filter(|a| a.is_open()) {
        if case_open.0 != Some(action.id.case) {
            let open = state
                .cases
                .get(&action.id.case)
                .is_some_and(|c| c.is_open());
            case_open = (Some(action.id.case), open);
        }
        if !case_open.1 {
            continue;
        }
        if per_case.last().is_none_or(|(n, ..)| *n != action.id.case) {
            per_case.push((action.id.case, None, 0, 0));
        }
        if let Some(entry) = per_case.last_mut() {
            entry.1 = Some(entry.1.map_or(action.due_on, |d| d.min(action.due_on)));
            entry.2 += 1;
            match DueGroup::of(action.due_on, today, week_end) {
                DueGroup::Overdue => {
                    entry.3 += 1;
                    counts.overdue += 1;
                }
                DueGroup::Today | DueGroup::ThisWeek => counts.due_this_week += 1,
                DueGroup::Later => {}
            }
        }
        *due_days.entry(action.due_on).or_insert(0) += 1;
        actions.push(OpenAction {
            id: action.id,
            due_on: action.due_on,
            team: action.team.clone(),
        });
    }
    actions.sort_by_key(|a| (a.due_on, a.id));

    let mut rows = Vec::new();
    let mut figures = per_case.into_iter().peekable();
    for case in state.cases.values().filter(|c| c.is_open()) {
        counts.open_cases += 1;
        if case.level == Level::High {
            counts.high_crisis += 1;
        }
        while figures.next_if(|f| f.0 < case.number).is_some() {}
        let (next_due, open, overdue) = match figures.next_if(|f| f.0 == case.number) {
            Some((_, due, open, overdue)) => (due, open, overdue),
            None => (None, 0, 0),
        };
        rows.push(CaseRow {
            number: case.number,
            next_due,
            open,
            overdue,
        });
    }
    match sort {
        Sort::NextDue => rows.sort_by_key(|r| (r.next_due.is_none(), r.next_due, r.number)),
        Sort::Level => rows.sort_by_key(|r| {
            let level = state.cases.get(&r.number).map(|c| c.level);
            (
                std::cmp::Reverse(level),
                r.next_due.is_none(),
                r.next_due,
                r.number,
            )
        }),
        Sort::Number => rows.sort_by_key(|r| r.number),
    }
    Base {
        rows,
        search: std::sync::OnceLock::new(),
        actions,
        counts,
        due_days,
        today,
    }
}

/// The text a filter looks through: for each case its number, student name, school, summary,
/// teams' codes and names, and open actions' titles; for each action its title.
fn search(base: &Base, state: &State) -> Search {
    let team_names: BTreeMap<&TeamCode, String> = state
        .teams
        .values()
        .map(|t| {
            (
                &t.code,
                format!(
                    "{}\u{1f}{}\u{1f}{}",
                    fold_nfc(t.code.as_str()),
                    fold_nfc(&t.name_ko),
                    fold_nfc(&t.name_en)
                ),
            )
        })
        .collect();
    // The words of every domain and sub-item, folded once rather than once per case.
    let domain_words: BTreeMap<DifficultyDomain, String> = DifficultyDomain::ALL
        .iter()
        .map(|d| {
            (
                *d,
                format!("{}\u{1f}{}", fold_nfc(d.ko()), fold_nfc(d.en())),
            )
        })
        .collect();
    let concern_words: BTreeMap<Concern, String> = Concern::ALL
        .iter()
        .map(|c| {
            (
                *c,
                format!("{}\u{1f}{}", fold_nfc(c.ko()), fold_nfc(c.en())),
            )
        })
        .collect();
    let actions: Vec<String> = base
        .actions
        .iter()
        .map(|a| {
            state
                .actions
                .get(&a.id)
                .map(|a| fold_nfc(&a.title))
                .unwrap_or_default()
        })
        .collect();
    let mut titles: BTreeMap<CaseNumber, Vec<&str>> = BTreeMap::new();
    for (a, title) in base.actions.iter().zip(&actions) {
        titles.entry(a.id.case).or_default().push(title);
    }
    let cases = base
        .rows
        .iter()
        .map(|row| {
            let Some(case) = state.cases.get(&row.number) else {
                return String::new();
            };
            let mut text = String::new();
            let domains = case
                .domains
                .iter()
                .filter_map(|d| domain_words.get(d).map(String::as_str))
                .chain(
                    case.concerns
                        .iter()
                        .filter_map(|c| concern_words.get(c).map(String::as_str)),
                )
                .collect::<Vec<_>>()
                .join("\u{1f}");
            for part in [
                // Folded as the filter is (`2026-0003` is looked for as `20260003`).
                fold_nfc(&row.number.to_string()),
                fold_nfc(&case.student.name),
                fold_nfc(&case.school),
                fold_nfc(&case.summary),
                domains,
            ] {
                text.push_str(&part);
                text.push('\u{1f}');
            }
            for code in std::iter::once(&case.lead_team).chain(&case.co_teams) {
                if let Some(names) = team_names.get(code) {
                    text.push_str(names);
                    text.push('\u{1f}');
                }
            }
            for title in titles.get(&row.number).into_iter().flatten() {
                text.push_str(title);
                text.push('\u{1f}');
            }
            text
        })
        .collect();
    Search { cases, actions }
}

/// Applies the filter (`""` shows everything) to the case table; the action lists (By team,
/// Due) are worked out too when `with_actions`, or later by [`add_actions`] — each filter key
/// on the dashboard only scans the cases.
pub fn view(base: &Base, state: &State, filter: &str, with_actions: bool) -> View {
    let needle = fold(filter);
    let cases = if needle.is_empty() {
        base.rows.clone()
    } else {
        let search = base.search.get_or_init(|| search(base, state));
        base.rows
            .iter()
            .zip(&search.cases)
            .filter(|(_, text)| text.contains(&needle))
            .map(|(row, _)| *row)
            .collect()
    };
    let mut view = View {
        cases,
        needle,
        ..View::default()
    };
    if with_actions {
        add_actions(&mut view, base, state);
    }
    view
}

/// Prepares the filter's search text now (it is otherwise made on the first filter key).
pub fn prepare_search(base: &Base, state: &State) {
    base.search.get_or_init(|| search(base, state));
}

/// Works out the By-team and Due lists for a view, once.
pub fn add_actions(view: &mut View, base: &Base, state: &State) {
    if view.actions_ready {
        return;
    }
    let needle = &view.needle;
    let open: Vec<&OpenAction> = if needle.is_empty() {
        base.actions.iter().collect()
    } else {
        let search = base.search.get_or_init(|| search(base, state));
        let matched: HashSet<CaseNumber> = view.cases.iter().map(|r| r.number).collect();
        base.actions
            .iter()
            .zip(&search.actions)
            .filter(|(a, title)| matched.contains(&a.id.case) || title.contains(needle.as_str()))
            .map(|(a, _)| a)
            .collect()
    };

    let mut by_team: BTreeMap<&TeamCode, Vec<&OpenAction>> = BTreeMap::new();
    for a in &open {
        by_team.entry(&a.team).or_default().push(a);
    }
    let mut teams: Vec<TeamGroup> = by_team
        .into_iter()
        .map(|(team, mine)| TeamGroup {
            team: team.clone(),
            overdue: mine
                .iter()
                .filter(|a| DueGroup::of(a.due_on, base.today, base.today) == DueGroup::Overdue)
                .count(),
            actions: mine.iter().map(|a| a.id).collect(),
        })
        .collect();
    // The teams most behind first, so nobody's backlog hides at the bottom.
    teams.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.actions.len().cmp(&a.actions.len()))
            .then(a.team.cmp(&b.team))
    });

    let week_end = week_end(base.today);
    let mut groups: BTreeMap<DueGroup, Vec<ActionId>> = BTreeMap::new();
    for a in &open {
        groups
            .entry(DueGroup::of(a.due_on, base.today, week_end))
            .or_default()
            .push(a.id);
    }
    view.teams = teams;
    view.due = groups.into_iter().collect();
    view.actions_ready = true;
}

/// The lists the list screens share: the records' part (in the dashboard's order), the filter
/// and what it lets through.
#[derive(Debug, Default)]
pub struct Lists {
    /// The filter in force (applies to the list screens).
    pub filter: String,
    base: Base,
    view: View,
}

impl Lists {
    /// The lists after the filter.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// The unfiltered counts and calendar marks.
    pub fn base(&self) -> &Base {
        &self.base
    }

    /// Works the lists out again from the records (after a change, a new day or a new sort).
    pub fn rebuild(&mut self, state: &State, today: NaiveDate, sort: Sort) {
        self.base = base(state, today, sort);
    }

    /// Applies the filter again; the action lists too when `with_actions`.
    pub fn refilter(&mut self, state: &State, with_actions: bool) {
        self.view = view(&self.base, state, &self.filter, with_actions);
    }

    /// Works out the action lists (By team, Due) for the filter in force, once; true when they
    /// were not ready before.
    pub fn need_actions(&mut self, state: &State) -> bool {
        if self.view.actions_ready {
            return false;
        }
        add_actions(&mut self.view, &self.base, state);
        true
    }

    /// Prepares the filter's search text now (it is otherwise made on the first filter key).
    pub fn prepare(&self, state: &State) {
        prepare_search(&self.base, state);
    }

    /// The By-team actions in screen order, with their team's index.
    pub fn team_actions(&self) -> Vec<(usize, ActionId)> {
        self.view
            .teams
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.actions.iter().map(move |a| (i, *a)))
            .collect()
    }

    /// The Due screen's actions in screen order, with their group.
    pub fn due_actions(&self) -> Vec<(DueGroup, ActionId)> {
        self.view
            .due
            .iter()
            .flat_map(|(g, ids)| ids.iter().map(move |a| (*g, *a)))
            .collect()
    }

    /// Open actions due on `day` (after the filter).
    pub fn actions_on(&self, state: &State, day: NaiveDate) -> Vec<ActionId> {
        self.due_actions()
            .into_iter()
            .map(|(_, id)| id)
            .filter(|id| state.actions.get(id).is_some_and(|a| a.due_on == day))
            .collect()
    }
}

/// A selected row that stays on its record when the list it is in changes: the record is noted
/// before the list is worked out again, and found again after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick<K> {
    /// The selected row.
    pub index: usize,
    kept: Option<K>,
}

impl<K> Default for Pick<K> {
    fn default() -> Self {
        Pick {
            index: 0,
            kept: None,
        }
    }
}

impl<K: Copy + PartialEq> Pick<K> {
    /// Notes the record on the selected row (`None` when there is none).
    pub fn note(&mut self, record: Option<K>) {
        self.kept = record;
    }

    /// Notes the record on the selected row, keeping the one noted before when there is none.
    pub fn note_if_any(&mut self, record: Option<K>) {
        if record.is_some() {
            self.kept = record;
        }
    }

    /// Puts the selection back on the noted record when `rows` still lists it, else keeps it
    /// within the list's `len` rows.
    pub fn settle(&mut self, rows: impl IntoIterator<Item = K>, len: usize) {
        if let Some(kept) = self.kept
            && let Some(i) = rows.into_iter().position(|r| r == kept)
        {
            self.index = i;
        }
        self.index = self.index.min(len.saturating_sub(1));
    }

    /// Moves the selection by `delta` rows within `len` rows.
    pub fn step(&mut self, delta: isize, len: usize) {
        self.index = step(self.index, delta, len);
    }

    /// Back to the first row, forgetting the record.
    pub fn reset(&mut self) {
        *self = Pick {
            index: 0,
            kept: None,
        };
    }
}

/// `sel` moved by `delta` within `len` rows (0 for an empty list).
pub fn step(sel: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let last = isize::try_from(len - 1).unwrap_or(isize::MAX);
    let at = isize::try_from(sel).unwrap_or(isize::MAX);
    // Never negative after the clamp.
    usize::try_from(at.saturating_add(delta).clamp(0, last)).unwrap_or(0)
}
