//! The one interface the app uses to read records and send commands, so that a shared server
//! can later stand where the embedded store stands now. Knows the store's API, not the terminal.

use std::sync::mpsc::Receiver;

use crate::domain::{Action, CaseNumber, Command, Ctx, Note, State};
use crate::store::{Receipt, Store, StoreError};

/// Where records come from and commands go.
pub trait Backend {
    /// Every record but the notes, as it stands now.
    fn snapshot(&mut self) -> Result<&State, StoreError>;
    /// Applies one command durably, or refuses it and changes nothing.
    fn apply(&mut self, cmd: Command, ctx: &Ctx) -> Result<Receipt, StoreError>;
    /// A case's notes, oldest first.
    fn notes_of(&self, case: CaseNumber) -> Result<Vec<Note>, StoreError>;
    /// All of a case's actions, finished ones too.
    fn case_actions(&self, case: CaseNumber) -> Result<Vec<Action>, StoreError>;
    /// Receives the journal sequence number after each confirmed change.
    fn subscribe(&mut self) -> Receiver<u64>;
    /// Every action, done and dropped ones too (for the statistics).
    fn all_actions(&self) -> Result<Vec<Action>, StoreError>;
}

/// The store in this process (the default).
impl Backend for Store {
    fn snapshot(&mut self) -> Result<&State, StoreError> {
        self.state()
    }

    fn apply(&mut self, cmd: Command, ctx: &Ctx) -> Result<Receipt, StoreError> {
        self.execute(cmd, ctx)
    }

    fn notes_of(&self, case: CaseNumber) -> Result<Vec<Note>, StoreError> {
        Store::notes_of(self, case)
    }

    fn case_actions(&self, case: CaseNumber) -> Result<Vec<Action>, StoreError> {
        Store::actions_of(self, case)
    }

    fn subscribe(&mut self) -> Receiver<u64> {
        Store::subscribe(self)
    }

    fn all_actions(&self) -> Result<Vec<Action>, StoreError> {
        Store::all_actions(self)
    }
}
