//! Who may see and change what: a user's role and teams decide which cases they see, whether
//! names are masked for them, which restricted notes they read and which commands they may
//! send. Pure: who is asking is decided above (the server reads it from the socket).

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::ids::{ActionId, CaseNumber, TeamCode};
use super::masking::{mask_in, mask_name};
use super::model::{Action, Case, Conference, Note, User};
use super::state::State;
use super::vocab::Role;
use crate::i18n::{Lang, Localize};

/// The person asking, as the store knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Operating-system account.
    pub account: String,
    /// What they may do.
    pub role: Role,
    /// Their teams.
    pub teams: Vec<TeamCode>,
    /// Their name, when recorded.
    pub name: Option<String>,
}

/// Why a request was refused by the role rules. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum Denied {
    /// The account is not a user of this store.
    NotAUser {
        /// The account.
        account: String,
        /// Who can let them in.
        admins: Vec<String>,
    },
    /// Viewers change nothing.
    ReadOnly {
        /// The account.
        account: String,
    },
    /// A team member asked about or changed a case none of their teams is on.
    NotYourCase {
        /// The case.
        case: CaseNumber,
        /// Their teams.
        teams: Vec<TeamCode>,
    },
    /// Only coordinators and admins do this.
    CoordinatorsOnly {
        /// The account.
        account: String,
    },
    /// Only admins manage users.
    AdminsOnly {
        /// The account.
        account: String,
    },
    /// Viewers see names masked only.
    MaskedOnly {
        /// The account.
        account: String,
    },
}

impl Localize for Denied {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            Denied::NotAUser { account, admins } => {
                let ask = admins.first().cloned().unwrap_or_else(|| "admin".into());
                let others = if admins.len() > 1 {
                    if ko {
                        format!(" (또는 {})", admins.get(1..).unwrap_or_default().join(", "))
                    } else {
                        format!(" (or {})", admins.get(1..).unwrap_or_default().join(", "))
                    }
                } else {
                    String::new()
                };
                if ko {
                    format!(
                        "'{account}' 계정은 이 저장소의 사용자가 아닙니다: 관리자 {ask}{others}에게 `casedesk user add {account} --role member --team 부서코드`를 부탁하세요"
                    )
                } else {
                    format!(
                        "the account '{account}' is not a user of this store: ask the admin {ask}{others} to run `casedesk user add {account} --role member --team TEAM`"
                    )
                }
            }
            Denied::ReadOnly { account } => {
                if ko {
                    format!(
                        "'{account}'은(는) 열람자라서 바꿀 수 없습니다: 바꿀 일이 있으면 조정자에게 부탁하세요"
                    )
                } else {
                    format!(
                        "'{account}' is a viewer and cannot change anything: ask a coordinator to make the change"
                    )
                }
            }
            Denied::NotYourCase { case, teams } => {
                let teams = teams
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                if ko {
                    format!(
                        "사례 {case}에는 내 부서({teams})가 주관·협력하거나 맡은 조치가 없습니다: 그 사례의 주관부서나 조정자에게 부탁하세요"
                    )
                } else {
                    format!(
                        "case {case} is not led, shared or owed by your teams ({teams}): ask its lead team or a coordinator"
                    )
                }
            }
            Denied::CoordinatorsOnly { account } => {
                if ko {
                    format!(
                        "조정자와 관리자만 할 수 있습니다 ('{account}'은(는) 할 수 없습니다): 조정자에게 부탁하세요"
                    )
                } else {
                    format!(
                        "only coordinators and admins can do this ('{account}' cannot): ask a coordinator"
                    )
                }
            }
            Denied::AdminsOnly { account } => {
                if ko {
                    format!(
                        "사용자 관리는 관리자만 할 수 있습니다 ('{account}'은(는) 관리자가 아닙니다)"
                    )
                } else {
                    format!("only admins manage users ('{account}' is not an admin)")
                }
            }
            Denied::MaskedOnly { account } => {
                if ko {
                    format!(
                        "'{account}'은(는) 열람자라서 이름을 가린 화면과 파일만 볼 수 있습니다: --unmasked 없이 다시 하세요"
                    )
                } else {
                    format!(
                        "'{account}' is a viewer and sees names masked only: run it again without --unmasked"
                    )
                }
            }
        }
    }
}

impl Access {
    /// Who `account` is in this store. The account that owns the store's files (`owner`) is
    /// always an admin; anyone else must be a user.
    pub fn resolve(state: &State, account: &str, owner: Option<&str>) -> Result<Access, Denied> {
        if owner == Some(account) {
            let name = state.users.get(account).and_then(|u| u.name.clone());
            let teams = state
                .users
                .get(account)
                .map(|u| u.teams.clone())
                .unwrap_or_default();
            return Ok(Access {
                account: account.to_string(),
                role: Role::Admin,
                teams,
                name,
            });
        }
        match state.users.get(account) {
            Some(user) => Ok(Access::of(user)),
            None => Err(Denied::NotAUser {
                account: account.to_string(),
                admins: admins(state, owner),
            }),
        }
    }

    /// The access a user record gives.
    pub fn of(user: &User) -> Access {
        Access {
            account: user.account.clone(),
            role: user.role,
            teams: user.teams.clone(),
            name: user.name.clone(),
        }
    }

    /// True for roles that see every case (everyone but team members).
    pub fn sees_all(&self) -> bool {
        self.role != Role::Member
    }

    /// True when names must be masked for them in everything they are sent.
    pub fn masked_only(&self) -> bool {
        self.role == Role::Viewer
    }

    /// True when they may see `case`: one of their teams leads it, cooperates on it or owns
    /// (or owned) one of its actions — or their role sees every case.
    pub fn sees_case(&self, state: &State, case: &Case) -> bool {
        self.sees_all()
            || self.teams.iter().any(|t| case.involves(t))
            || self.teams.iter().any(|t| state.owes_on(case.number, t))
    }

    /// True when they may see the case with this number (false when there is none).
    pub fn sees_number(&self, state: &State, number: CaseNumber) -> bool {
        state
            .cases
            .get(&number)
            .is_some_and(|c| self.sees_case(state, c))
    }

    /// True when they may read the case's restricted notes: coordinators, admins, and the
    /// members of its lead team.
    pub fn sees_restricted(&self, case: &Case) -> bool {
        match self.role {
            Role::Admin | Role::Coordinator => true,
            Role::Member => self.teams.contains(&case.lead_team),
            Role::Viewer => false,
        }
    }

    /// Refuses an unmasked view or export for a viewer.
    pub fn may_unmask(&self) -> Result<(), Denied> {
        if self.masked_only() {
            return Err(Denied::MaskedOnly {
                account: self.account.clone(),
            });
        }
        Ok(())
    }

    /// Refuses what only coordinators and admins do.
    pub fn coordinates(&self) -> Result<(), Denied> {
        match self.role {
            Role::Admin | Role::Coordinator => Ok(()),
            Role::Viewer => Err(Denied::ReadOnly {
                account: self.account.clone(),
            }),
            Role::Member => Err(Denied::CoordinatorsOnly {
                account: self.account.clone(),
            }),
        }
    }

    fn case_ok(&self, state: &State, number: CaseNumber) -> Result<(), Denied> {
        // A case that does not exist is left to the rules, which say so in their words.
        match state.cases.get(&number) {
            Some(case) if !self.sees_case(state, case) => Err(Denied::NotYourCase {
                case: number,
                teams: self.teams.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Refuses a command their role does not allow; the rules decide the rest.
    pub fn authorize(&self, state: &State, cmd: &Command) -> Result<(), Denied> {
        use Command::*;
        match self.role {
            Role::Admin => return Ok(()),
            Role::Viewer => {
                return Err(Denied::ReadOnly {
                    account: self.account.clone(),
                });
            }
            Role::Coordinator | Role::Member => {}
        }
        if matches!(cmd, AddUser { .. } | SetUser { .. } | RemoveUser { .. }) {
            return Err(Denied::AdminsOnly {
                account: self.account.clone(),
            });
        }
        if self.role == Role::Coordinator {
            return Ok(());
        }
        match cmd {
            CreateCase { case } => {
                let ours = self
                    .teams
                    .iter()
                    .any(|t| case.lead_team == *t || case.co_teams.contains(t));
                if ours {
                    Ok(())
                } else {
                    Err(Denied::CoordinatorsOnly {
                        account: self.account.clone(),
                    })
                }
            }
            UpdateCase {
                case, conference, ..
            } => {
                if conference.is_some() {
                    return self.coordinates();
                }
                self.case_ok(state, *case)
            }
            CloseCase { case, .. }
            | ReopenCase { case, .. }
            | AddNote { case, .. }
            | AddConsent { case, .. }
            | WithdrawConsent { case, .. }
            | AddAction {
                case,
                conference: None,
                ..
            }
            | AddRecurringAction {
                case,
                conference: None,
                ..
            } => self.case_ok(state, *case),
            CompleteAction { action, .. }
            | DropAction { action, .. }
            | NoteAction { action, .. }
            | MarkSession { action, .. }
            | SetReferral { action, .. }
            | UpdateAction { action, .. } => self.case_ok(state, action.case),
            Revert { revert } => {
                if !revert.conferences.is_empty() {
                    return self.coordinates();
                }
                let cases = revert
                    .cases
                    .iter()
                    .map(|c| c.after.number)
                    .chain(revert.actions.iter().map(|a| a.after.id.case))
                    .chain(revert.notes.iter().map(|n| n.case))
                    .chain(revert.removed_actions.iter().map(|a| a.id.case));
                for case in cases {
                    self.case_ok(state, case)?;
                }
                Ok(())
            }
            RecordExport { .. } => Ok(()),
            _ => self.coordinates(),
        }
    }

    /// What they may see of `state`, or `None` when they see it all as it is.
    pub fn filter(&self, state: &State) -> Option<State> {
        if self.sees_all() && !self.masked_only() {
            return None;
        }
        let mut seen = State {
            office: state.office.clone(),
            teams: state.teams.clone(),
            counters: state.counters.clone(),
            ..State::default()
        };
        for case in state.cases.values().filter(|c| self.sees_case(state, c)) {
            seen.cases.insert(case.number, self.case(case));
        }
        for action in state.actions.values().filter(|a| a.is_open()) {
            if let Some(case) = state.cases.get(&action.id.case)
                && seen.cases.contains_key(&action.id.case)
            {
                seen.actions.insert(action.id, self.action(case, action));
            }
        }
        seen.action_teams = state
            .action_teams
            .iter()
            .filter(|(id, _)| seen.cases.contains_key(&id.case))
            .map(|(id, t)| (*id, t.clone()))
            .collect();
        for conference in state.conferences.values() {
            seen.conferences
                .insert(conference.id, self.conference(state, conference));
        }
        if let Some(me) = state.users.get(&self.account) {
            seen.users.insert(me.account.clone(), me.clone());
        }
        Some(seen)
    }

    /// A case as they may see it (names masked for a viewer).
    pub fn case(&self, case: &Case) -> Case {
        if !self.masked_only() {
            return case.clone();
        }
        let name = &case.student.name;
        let mut shown = case.clone();
        shown.summary = mask_in(&case.summary, name);
        shown.student.name = mask_name(name);
        shown
    }

    /// An action as they may see it.
    pub fn action(&self, case: &Case, action: &Action) -> Action {
        if !self.masked_only() {
            return action.clone();
        }
        let name = &case.student.name;
        let mut shown = action.clone();
        shown.title = mask_in(&action.title, name);
        shown.result = action.result.as_deref().map(|r| mask_in(r, name));
        for p in &mut shown.progress {
            p.text = mask_in(&p.text, name);
        }
        for step in &mut shown.referral {
            step.reason = step.reason.as_deref().map(|r| mask_in(r, name));
        }
        shown.without_consent = action.without_consent.as_deref().map(|r| mask_in(r, name));
        shown
    }

    /// A case's notes as they may see them: restricted ones only for those allowed, names
    /// masked for a viewer.
    pub fn notes(&self, case: &Case, notes: Vec<Note>) -> Vec<Note> {
        let restricted = self.sees_restricted(case);
        notes
            .into_iter()
            .filter(|n| restricted || !n.restricted)
            .map(|mut n| {
                if self.masked_only() {
                    n.text = mask_in(&n.text, &case.student.name);
                }
                n
            })
            .collect()
    }

    /// A conference as they may see it: a team member sees only the agenda items of their
    /// cases (the item under discussion, when it is another case, is none of theirs).
    pub fn conference(&self, state: &State, conference: &Conference) -> Conference {
        let mut shown = conference.clone();
        let current = conference.agenda.get(conference.current).map(|i| i.case);
        shown
            .agenda
            .retain(|item| self.sees_number(state, item.case));
        // An item they may not see under discussion: past the end, so there is no current one.
        shown.current = current
            .and_then(|c| shown.agenda.iter().position(|i| i.case == c))
            .unwrap_or(shown.agenda.len());
        if self.masked_only() {
            for item in &mut shown.agenda {
                if let Some(case) = state.cases.get(&item.case) {
                    for decision in &mut item.decisions {
                        *decision = mask_in(decision, &case.student.name);
                    }
                }
            }
            for amendment in &mut shown.amendments {
                if let Some(case) = amendment.case.and_then(|c| state.cases.get(&c)) {
                    amendment.text = mask_in(&amendment.text, &case.student.name);
                }
            }
        }
        shown
    }

    /// True when they may see the action with this id.
    pub fn sees_action(&self, state: &State, id: ActionId) -> bool {
        self.sees_number(state, id.case)
    }
}

/// The admins a refused account can ask, the owner of the store first.
pub fn admins(state: &State, owner: Option<&str>) -> Vec<String> {
    let mut list: Vec<String> = owner.map(str::to_string).into_iter().collect();
    for user in state.users.values().filter(|u| u.role == Role::Admin) {
        if !list.contains(&user.account) {
            list.push(user.account.clone());
        }
    }
    list
}
