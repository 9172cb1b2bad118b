//! The concepts of integrated student support and their rules; pure: no IO, no clock, no terminal.

pub mod access;
pub mod application;
pub mod command;
pub mod conference;
pub mod dates;
pub mod error;
pub mod followup;
pub mod holidays;
pub mod ids;
pub mod input;
pub mod limits;
pub mod masking;
pub mod merge;
pub mod model;
pub mod recap;
pub mod referral;
pub mod revision;
pub mod state;
pub mod stats;
pub mod users;
pub mod vocab;

pub use command::{
    ActionUpdate, CaseUpdate, Changes, Command, ConferenceUpdate, Ctx, NewCase, NewConference,
    NewConsent, Outcome, PlannedItem, SharingCheck, UserUpdate,
};
pub use error::DomainError;
pub use ids::{ActionId, CaseNumber, TeamCode};
pub use model::{Action, Case, Conference, Note, Office, Team, User};
pub use state::State;
