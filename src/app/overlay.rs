//! What sits over the screens and takes the keys first: a yes/no question, a form, the command
//! palette and the filter line — and a paste, which only ever goes into one of them. Pure.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Answer, App, Confirm, Effect, Intent, Message, Question};
use crate::domain::vocab::fold;
use crate::domain::{Command, State};
use crate::i18n::Lang;
use crate::keymap::{Action as Do, Context};

impl App {
    /// A key while a question is asked: yes, no, or the question stays.
    pub(super) fn answer(&mut self, action: Option<Do>) -> Vec<Effect> {
        let Some(confirm) = self.confirm.take() else {
            return Vec::new();
        };
        match action {
            Some(Do::Yes) => match confirm.on_yes {
                Answer::Effect(effect) => vec![effect],
                Answer::DiscardForm => {
                    self.form = None;
                    self.say(Message::Discarded);
                    Vec::new()
                }
                Answer::OpenForm(form) => {
                    self.form = Some(*form);
                    Vec::new()
                }
            },
            Some(Do::No) => {
                if !matches!(confirm.on_yes, Answer::DiscardForm) {
                    self.say(Message::Cancelled);
                }
                Vec::new()
            }
            _ => {
                self.confirm = Some(confirm);
                Vec::new()
            }
        }
    }

    /// Closes the form; what was typed is not thrown away without asking.
    fn close_form(&mut self) {
        match &self.form {
            Some(form) if form.is_dirty() => {
                self.confirm = Some(Confirm {
                    question: Question::Discard,
                    on_yes: Answer::DiscardForm,
                });
            }
            _ => self.form = None,
        }
    }

    /// Ctrl-C: closes what is open (a form asks first when something was typed), else quits.
    pub(super) fn interrupt(&mut self, state: &State) -> Vec<Effect> {
        if self.confirm.take().is_some() {
            return Vec::new();
        }
        if self.form.is_some() {
            self.close_form();
            return Vec::new();
        }
        if self.palette.take().is_some() || self.filter_input.take().is_some() {
            return Vec::new();
        }
        self.quit_now(state)
    }

    /// Pasted text goes into the open text field; outside one it is ignored: it must never run
    /// commands.
    pub(super) fn paste(&mut self, state: &State, text: &str) {
        if let Some(form) = &mut self.form {
            form.paste(text);
        } else if let Some(p) = &mut self.palette {
            p.input.insert_str(text.replace(['\r', '\n'], " "));
            p.selected = 0;
        } else if let Some(input) = &mut self.filter_input {
            input.insert_str(text.replace(['\r', '\n'], " "));
            self.lists.filter = input.lines().join(" ");
            self.refilter(state);
        }
    }

    /// A key in the filter line: every key narrows the lists at once.
    pub(super) fn filter_key(&mut self, state: &State, action: Option<Do>, key: KeyEvent) {
        match action {
            Some(Do::Accept) => self.filter_input = None,
            Some(Do::Dismiss) => {
                self.filter_input = None;
                self.lists.filter.clear();
                self.refilter(state);
            }
            _ => {
                if let Some(input) = &mut self.filter_input {
                    super::form::edit_text(input, key, false);
                    let text = input.lines().join(" ");
                    if text != self.lists.filter {
                        self.lists.filter = text;
                        self.refilter(state);
                    }
                }
            }
        }
    }

    /// Palette entries matching what is typed: every command that works everywhere or on
    /// lists, and those of the screen it was opened on (preparing or running a conference).
    pub fn palette_matches(&self) -> Vec<Do> {
        let typed = self
            .palette
            .as_ref()
            .map(|p| fold(&p.input.lines().join(" ")))
            .unwrap_or_default();
        let here = self
            .palette
            .as_ref()
            .map(|p| p.contexts.clone())
            .unwrap_or_default();
        Do::ALL
            .iter()
            .copied()
            .filter(|a| {
                matches!(
                    a.context(),
                    Context::Global | Context::List | Context::Calendar
                ) || here.contains(&a.context())
            })
            .filter(|a| {
                typed.is_empty()
                    || fold(a.name()).contains(&typed)
                    || fold(a.description(Lang::Ko)).contains(&typed)
                    || fold(a.description(Lang::En)).contains(&typed)
            })
            .collect()
    }

    /// A key in the palette: typing narrows it, Enter runs the selected entry.
    pub(super) fn palette_key(
        &mut self,
        state: &State,
        action: Option<Do>,
        key: KeyEvent,
    ) -> Vec<Effect> {
        let matches = self.palette_matches();
        let count = matches.len();
        let Some(palette) = &mut self.palette else {
            return Vec::new();
        };
        match action {
            Some(Do::Dismiss) => self.palette = None,
            Some(Do::SelectNext) => {
                palette.selected = (palette.selected + 1).min(count.saturating_sub(1))
            }
            Some(Do::SelectPrev) => palette.selected = palette.selected.saturating_sub(1),
            Some(Do::Accept) => {
                let chosen = matches.get(palette.selected).copied();
                self.palette = None;
                if let Some(chosen) = chosen {
                    return self.run(state, chosen);
                }
            }
            _ => {
                if key.code != KeyCode::Enter {
                    super::form::edit_text(&mut palette.input, key, false);
                    palette.selected = 0;
                }
            }
        }
        Vec::new()
    }

    /// A key in a form: moving between fields, choices, saving, or text for the field.
    pub(super) fn form_key(
        &mut self,
        state: &State,
        action: Option<Do>,
        key: KeyEvent,
    ) -> Vec<Effect> {
        let Some(form) = &mut self.form else {
            return Vec::new();
        };
        match action {
            Some(Do::Cancel) => self.close_form(),
            Some(Do::Save) => return self.save_form(state),
            Some(Do::NextField) => {
                form.next_field();
            }
            Some(Do::PrevField) => form.prev_field(),
            Some(Do::OptionNext) => form.step_option(1),
            Some(Do::OptionPrev) => form.step_option(-1),
            Some(Do::Newline) => form.newline(),
            _ if key.code == KeyCode::Enter && key.modifiers == KeyModifiers::NONE => {
                // Enter goes to the next field, and saves on the last one.
                if !form.next_needed_field(state, self.session.today) {
                    return self.save_form(state);
                }
            }
            _ => form.key(key),
        }
        Vec::new()
    }

    /// Saves the form: its command goes to the store, or it says why it cannot yet.
    fn save_form(&mut self, state: &State) -> Vec<Effect> {
        let Some(form) = &mut self.form else {
            return Vec::new();
        };
        let built = form.command(
            state,
            &self.session.calendar,
            &self.session.referrals,
            self.session.today,
            self.session.lang,
        );
        match built {
            // A merge is asked about, with what it moves, before it is sent.
            Ok(Some(Command::MergeCases { keep, other })) => self.merge_chosen(keep, other),
            Ok(Some(command)) => vec![Effect::Apply {
                command,
                intent: Intent::Form(form.kind),
                expect: form.base.clone().unwrap_or_default(),
            }],
            Ok(None) => {
                self.form = None;
                self.say(Message::NothingChanged);
                Vec::new()
            }
            Err(why) => {
                form.error = Some(why);
                Vec::new()
            }
        }
    }
}
