//! Test hooks, compiled only for tests (`cfg(test)` or the `test-hooks` feature the crate's own
//! integration tests turn on): a sled transaction made to fail part-way, to show that a failed
//! command leaves nothing behind.

use super::Store;

/// A test hook: makes the next sled transaction fail after this many writes, so tests can show
/// that a failed command leaves nothing behind.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct FailAfter(pub usize);

/// The abort a failed-on-purpose transaction reports.
#[derive(Debug)]
pub(super) struct Injected;

impl Store {
    /// Makes the next sled transaction fail after `fault` writes.
    #[doc(hidden)]
    pub fn inject_fault(&mut self, fault: FailAfter) {
        self.fault = Some(fault);
    }
}
