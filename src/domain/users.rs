//! The rules for the people who may use a store: adding, changing and removing users. Pure: who
//! is connecting is decided above (the server reads it from the socket), never here.

use super::command::{Changes, Outcome, UserUpdate};
use super::error::{DomainError, Field};
use super::ids::{TeamCode, valid_account};
use super::input::optional;
use super::limits;
use super::model::User;
use super::state::State;
use super::vocab::Role;

impl State {
    fn check_user(&self, user: &User) -> Result<User, DomainError> {
        if !valid_account(&user.account) {
            return Err(DomainError::BadAccount {
                input: user.account.clone(),
            });
        }
        let mut teams: Vec<TeamCode> = Vec::new();
        for team in &user.teams {
            if !self.teams.contains_key(team) {
                return Err(DomainError::UnknownTeam {
                    input: team.to_string(),
                    valid: self.teams.keys().map(ToString::to_string).collect(),
                    closest: Vec::new(),
                });
            }
            if !teams.contains(team) {
                teams.push(team.clone());
            }
        }
        if user.role == Role::Member && teams.is_empty() {
            return Err(DomainError::MemberNeedsTeam {
                account: user.account.clone(),
            });
        }
        let name = optional(user.name.as_deref(), Field::Person, limits::NAME)?;
        Ok(User {
            account: user.account.clone(),
            role: user.role,
            teams,
            name,
        })
    }

    pub(crate) fn add_user(&self, user: &User) -> Result<(Outcome, Changes), DomainError> {
        if self.users.contains_key(&user.account) {
            return Err(DomainError::UserExists {
                account: user.account.clone(),
            });
        }
        let user = self.check_user(user)?;
        Ok((
            Outcome::Done,
            Changes {
                users: vec![user],
                ..Changes::default()
            },
        ))
    }

    pub(crate) fn set_user(
        &self,
        account: &str,
        change: &UserUpdate,
    ) -> Result<(Outcome, Changes), DomainError> {
        let old = self.user(account)?;
        let mut user = old.clone();
        if let Some(role) = change.role {
            user.role = role;
        }
        if let Some(teams) = &change.teams {
            user.teams.clone_from(teams);
        }
        if let Some(name) = &change.name {
            user.name.clone_from(name);
        }
        let user = self.check_user(&user)?;
        if user == *old {
            return Err(DomainError::NothingToChangeUser {
                account: account.to_string(),
            });
        }
        Ok((
            Outcome::Done,
            Changes {
                users: vec![user],
                ..Changes::default()
            },
        ))
    }

    pub(crate) fn remove_user(&self, account: &str) -> Result<(Outcome, Changes), DomainError> {
        self.user(account)?;
        Ok((
            Outcome::Done,
            Changes {
                removed_users: vec![account.to_string()],
                ..Changes::default()
            },
        ))
    }

    fn user(&self, account: &str) -> Result<&User, DomainError> {
        self.users
            .get(account)
            .ok_or_else(|| DomainError::UnknownUser {
                account: account.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::ids::valid_account;

    #[test]
    fn account_names_follow_the_system_rules() {
        for ok in [
            "wee.han",
            "kim",
            "_svc",
            "coord-01",
            "a2345678901234567890123456789012",
        ] {
            assert!(valid_account(ok), "{ok}");
        }
        for bad in ["", "Kim", "1abc", "wee han", "김", "a/b", &"a".repeat(33)] {
            assert!(!valid_account(bad), "{bad}");
        }
    }
}
