//! What came of a case's actions since a conference last discussed it: the day it was last
//! discussed, and the actions finished or dropped since. Pure; no IO, no clock.

use chrono::NaiveDate;

use super::ids::CaseNumber;
use super::model::{Action, Conference};
use super::state::State;

impl State {
    /// The day of the last conference before `before` (its date and number) that discussed
    /// `case` — had it on its agenda once it ran, without deferring it; `None` when none did.
    pub fn last_discussed_on(
        &self,
        case: CaseNumber,
        before: (NaiveDate, u32),
    ) -> Option<NaiveDate> {
        self.past_items(case, before)
            .into_iter()
            .find(|(_, item)| !item.deferred)
            .map(|(c, _)| c.date)
    }

    /// For conference `conf`: the day `case` was last discussed and, of `actions` (the case's,
    /// finished ones too), those finished or dropped from that day to the conference's, in the
    /// order they finished. With no earlier discussion every one finished by then counts.
    pub fn since_last_conference<'a>(
        &self,
        conf: &Conference,
        case: CaseNumber,
        actions: impl IntoIterator<Item = &'a Action>,
    ) -> (Option<NaiveDate>, Vec<&'a Action>) {
        let since = self.last_discussed_on(case, (conf.date, conf.id));
        let mut found = finished_since(actions, case, since);
        // Minutes printed later say the same: nothing finished after the conference counts.
        found.retain(|a| a.closed_on.is_none_or(|on| on <= conf.date));
        (since, found)
    }
}

/// The actions of `case` among `actions` finished or dropped on or after `since` (every
/// finished one when `None`), in the order they finished.
pub fn finished_since<'a>(
    actions: impl IntoIterator<Item = &'a Action>,
    case: CaseNumber,
    since: Option<NaiveDate>,
) -> Vec<&'a Action> {
    let mut found: Vec<&Action> = actions
        .into_iter()
        .filter(|a| a.id.case == case && !a.is_open())
        .filter(|a| match (since, a.closed_on) {
            (Some(since), Some(on)) => on >= since,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect();
    found.sort_by_key(|a| (a.closed_on, a.id));
    found
}
