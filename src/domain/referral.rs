//! Referrals to outside agencies (연계): how many business days an agency has to answer (per
//! office), which referrals are still waiting past that, and the settings file that sets it.
//! Pure: the file's text is read by the command line (`cli::env`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::command::PlannedItem;
use super::holidays::Calendar;
use super::ids::CaseNumber;
use super::limits::{DEFAULT_BUDGET_MINUTES, MAX_AGENDA_ITEMS};
use super::model::{Action, AgendaReason};
use super::state::State;
use super::vocab::ReferralStatus;

/// Business days an agency has to answer a referral unless the office says otherwise.
pub const DEFAULT_ANSWER_DAYS: u32 = 5;

/// The most an office may set (more is a typing slip: a quarter of a year).
pub const MAX_ANSWER_DAYS: u32 = 60;

/// The file's name in the configuration directory, beside `keymap.toml`.
pub const FILE_NAME: &str = "referrals.toml";

/// How long a referral may wait for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralRule {
    /// Business days after it was asked for (weekends, public holidays and the office's
    /// closing days do not count).
    #[serde(default = "default_days")]
    pub answer_days: u32,
}

fn default_days() -> u32 {
    DEFAULT_ANSWER_DAYS
}

impl Default for ReferralRule {
    fn default() -> Self {
        ReferralRule {
            answer_days: DEFAULT_ANSWER_DAYS,
        }
    }
}

impl ReferralRule {
    /// The last day an answer to `action` is on time.
    pub fn answer_by(&self, action: &Action, calendar: &Calendar) -> NaiveDate {
        calendar.add_business_days(action.requested_on(), i64::from(self.answer_days))
    }
}

impl State {
    /// Adds 의뢰 응답 없음 to the proposed `agenda` of a conference on `date`: to the item of
    /// every open case with a referral unanswered by then, or as a new item (while the agenda
    /// has room), kept in the proposal's order (most pressing reason first).
    pub fn add_unanswered_referrals(
        &self,
        agenda: &mut Vec<PlannedItem>,
        date: NaiveDate,
        rule: &ReferralRule,
        calendar: &Calendar,
    ) {
        let waiting: std::collections::BTreeSet<CaseNumber> = self
            .actions
            .values()
            .filter(|a| self.unanswered(a, date, rule, calendar))
            .map(|a| a.id.case)
            .filter(|c| self.cases.get(c).is_some_and(|c| c.is_open()))
            .collect();
        for case in waiting {
            let room = agenda.len() < MAX_AGENDA_ITEMS;
            match agenda.iter_mut().find(|i| i.case == case) {
                Some(item) if !item.reasons.contains(&AgendaReason::ReferralUnanswered) => {
                    item.reasons.push(AgendaReason::ReferralUnanswered);
                    item.reasons.sort();
                }
                Some(_) => {}
                None if room => agenda.push(PlannedItem {
                    case,
                    reasons: vec![AgendaReason::ReferralUnanswered],
                    budget_minutes: DEFAULT_BUDGET_MINUTES,
                }),
                None => {}
            }
        }
        let level = |c: CaseNumber| std::cmp::Reverse(self.cases.get(&c).map(|c| c.level));
        agenda.sort_by(|a, b| {
            (a.reasons.first(), level(a.case), a.case).cmp(&(
                b.reasons.first(),
                level(b.case),
                b.case,
            ))
        });
    }

    /// Like [`State::add_unanswered_referrals`], then keeps the agenda within the conference's
    /// length by priority, as the proposal does (the first item always stays); what no longer
    /// fits is left to the "also due" list.
    pub fn add_unanswered_referrals_within(
        &self,
        agenda: &mut Vec<PlannedItem>,
        date: NaiveDate,
        rule: &ReferralRule,
        calendar: &Calendar,
        length_minutes: u16,
    ) {
        self.add_unanswered_referrals(agenda, date, rule, calendar);
        let mut used: u32 = 0;
        let keep = agenda
            .iter()
            .take_while(|item| {
                used += u32::from(item.budget_minutes);
                used <= u32::from(length_minutes) || used == u32::from(item.budget_minutes)
            })
            .count();
        agenda.truncate(keep);
    }

    /// True when `action` is a referral still waiting for its agency's answer past the days
    /// `rule` gives (의뢰 응답 없음).
    pub fn unanswered(
        &self,
        action: &Action,
        today: NaiveDate,
        rule: &ReferralRule,
        calendar: &Calendar,
    ) -> bool {
        action.is_open()
            && self.is_referral(action)
            && action.referral_status() == ReferralStatus::Requested
            && today > rule.answer_by(action, calendar)
    }
}

/// Reads the text of a referrals file.
pub fn parse(text: &str) -> Result<ReferralRule, String> {
    let rule: ReferralRule = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text.get(..s.start).unwrap_or("").matches('\n').count() + 1);
        let message = e.message().trim().to_string();
        match line {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        }
    })?;
    if rule.answer_days == 0 || rule.answer_days > MAX_ANSWER_DAYS {
        return Err(format!(
            "answer_days must be 1 to {MAX_ANSWER_DAYS} business days, not {}",
            rule.answer_days
        ));
    }
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sets_the_days_and_refuses_nonsense() {
        assert_eq!(parse("").map(|r| r.answer_days), Ok(DEFAULT_ANSWER_DAYS));
        assert_eq!(parse("answer_days = 3").map(|r| r.answer_days), Ok(3));
        assert!(parse("answer_days = 0").is_err());
        assert!(parse("answer_days = 400").is_err());
        let e = parse("\nanswr_days = 3");
        assert!(e.as_ref().is_err_and(|e| e.starts_with("line 2:")), "{e:?}");
    }
}
