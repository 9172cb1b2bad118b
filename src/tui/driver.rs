//! Runs the app's effects against a backend: sends commands, reads cases, and feeds the results
//! back as messages. The clock is read here (when a command is sent), never in the app or ui.
//! Shared by the terminal runtime and the tests; it knows nothing of the terminal.

use std::collections::VecDeque;

use chrono::{DateTime, FixedOffset};

use crate::app::{App, Effect, Msg};
use crate::backend::Backend;

/// The clock the driver stamps commands with.
pub type Clock = Box<dyn Fn() -> DateTime<FixedOffset>>;

/// An app wired to a backend.
pub struct Driver<B: Backend> {
    /// The app.
    pub app: App,
    /// Where records come from and commands go.
    pub backend: B,
    /// Where minutes written from the screens go: the directory casedesk was started in
    /// unless set.
    pub minutes_dir: Option<std::path::PathBuf>,
    clock: Clock,
}

impl<B: Backend> Driver<B> {
    /// Wires `app` to `backend`, stamping commands with `clock`.
    pub fn new(app: App, backend: B, clock: Clock) -> Driver<B> {
        Driver {
            app,
            backend,
            minutes_dir: None,
            clock,
        }
    }

    /// Writes conference `id`'s minutes as printable HTML (names masked, the journal's anchor
    /// on them) to `conference-ID-minutes.html`, owner-only; the file's path, or why not.
    fn write_minutes(&mut self, id: u32) -> Result<String, String> {
        use crate::i18n::Localize;
        let lang = self.app.session.lang;
        let words = |e: crate::backend::BackendError| e.localize(lang);
        let view = self
            .backend
            .view(&crate::backend::Scope::Conferences)
            .map_err(words)?;
        let conference = view.conference(id).map_err(|e| e.localize(lang))?;
        let mut actions = std::collections::BTreeMap::new();
        for item in conference.agenda.iter().filter(|i| !i.actions.is_empty()) {
            for action in self.backend.case_actions(item.case).map_err(words)? {
                if item.actions.contains(&action.id) {
                    actions.insert(action.id, action);
                }
            }
        }
        let anchor = self.backend.head().ok();
        let html = crate::transfer::minutes::Source {
            state: &view,
            conference,
            actions: &actions,
            lang,
            unmasked: false,
            anchor,
        }
        .html();
        let dir = match &self.minutes_dir {
            Some(dir) => dir.clone(),
            None => std::env::current_dir().map_err(|e| e.to_string())?,
        };
        let path = dir.join(format!("conference-{id}-minutes.html"));
        crate::transfer::write_private(&path, html.as_bytes(), true)
            .map_err(|e| e.localize(lang))?;
        Ok(path.display().to_string())
    }

    /// The current time by the driver's clock.
    pub fn now(&self) -> DateTime<FixedOffset> {
        (self.clock)()
    }

    /// Takes in what the backend heard from others (changes, people coming and going, the
    /// connection) and handles it; true when there was something.
    pub fn pump(&mut self) -> bool {
        let news = self.backend.poll();
        let any = !news.is_empty();
        for remote in news {
            self.handle(Msg::Remote(remote));
        }
        any
    }

    /// Handles a message and everything it leads to.
    pub fn handle(&mut self, msg: Msg) {
        let mut queue = VecDeque::from([msg]);
        while let Some(msg) = queue.pop_front() {
            let effects = match self.backend.snapshot() {
                Ok(state) => self.app.update(state, msg),
                Err(e) => {
                    queue.clear();
                    match self.backend.snapshot() {
                        Ok(state) => self.app.update(state, Msg::LoadFailed(e)),
                        Err(_) => Vec::new(),
                    }
                }
            };
            for effect in effects {
                match effect {
                    Effect::Apply {
                        command,
                        intent,
                        expect,
                    } => {
                        let result = self.backend.apply(command, self.now(), &expect);
                        queue.push_back(Msg::Applied { result, intent });
                    }
                    Effect::LoadCase(number) => {
                        let loaded = self
                            .backend
                            .case_actions(number)
                            .and_then(|actions| Ok((actions, self.backend.notes_of(number)?)));
                        queue.push_back(match loaded {
                            Ok((actions, notes)) => Msg::CaseLoaded {
                                number,
                                actions,
                                notes,
                            },
                            Err(e) => Msg::LoadFailed(e),
                        });
                    }
                    Effect::LoadActions(cases) => {
                        let mut all = Vec::new();
                        let mut failed = None;
                        for number in cases {
                            match self.backend.case_actions(number) {
                                Ok(actions) => all.extend(actions),
                                Err(e) => {
                                    failed = Some(e);
                                    break;
                                }
                            }
                        }
                        queue.push_back(match failed {
                            Some(why) => Msg::LoadFailed(why),
                            None => Msg::ActionsLoaded(all),
                        });
                    }
                    Effect::LoadStats(month) => {
                        queue.push_back(match self.backend.all_actions() {
                            Ok(actions) => Msg::StatsLoaded { month, actions },
                            Err(e) => Msg::LoadFailed(e),
                        });
                    }
                    Effect::WriteMinutes(id) => {
                        queue.push_back(Msg::MinutesWritten(self.write_minutes(id)));
                    }
                    Effect::LoadFollowUp(id) => {
                        let case = self.backend.snapshot().ok().and_then(|state| {
                            state
                                .conferences
                                .get(&id)
                                .and_then(|c| c.current_item())
                                .map(|i| i.case)
                        });
                        if let Some(case) = case {
                            queue.push_back(match self.backend.case_actions(case) {
                                Ok(actions) => Msg::FollowUpLoaded { case, actions },
                                Err(e) => Msg::LoadFailed(e),
                            });
                        }
                    }
                    Effect::LoadFinished(since) => {
                        queue.push_back(match self.backend.finished_since(since) {
                            Ok(actions) => Msg::FinishedLoaded { since, actions },
                            Err(e) => Msg::LoadFailed(e),
                        });
                    }
                    Effect::LoadMerge { keep, other } => {
                        let loaded = self
                            .backend
                            .case_actions(other)
                            .and_then(|actions| Ok((actions, self.backend.notes_of(other)?)));
                        queue.push_back(match loaded {
                            Ok((actions, notes)) => Msg::MergeLoaded {
                                keep,
                                other,
                                actions,
                                notes,
                            },
                            Err(e) => Msg::LoadFailed(e),
                        });
                    }
                    Effect::Quit => {}
                }
            }
        }
    }
}
