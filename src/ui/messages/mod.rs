//! The words for what the app says — the status line, questions, why a form cannot be saved,
//! and the names of screens, forms and fields — made once, here, from one table per language
//! (`ko`, `en`). Refusals from the rules, the
//! roles and the store keep the words they have on the command line too. Pure.

mod en;
mod ko;

use crate::app::form::{FieldId, Form};
use crate::app::{Failure, FormError, Message, Question, Saved, Screen};
use crate::backend::BackendError;
use crate::i18n::{Lang, Localize};
use crate::keymap::{Action, Keymap};

/// A status-line message in `lang`, naming keys as the keymap in force binds them.
pub fn message(message: &Message, lang: Lang, keymap: &Keymap) -> String {
    with_keys(
        &match lang {
            Lang::Ko => ko::message(message),
            Lang::En => en::message(message),
        },
        keymap,
    )
}

/// The tables name keys by action (`⟦undo⟧`): each becomes the action's first key in force
/// (`u`, or `C-z` under fkeys), or `:name` (the palette) when the keymap leaves it unbound.
pub fn with_keys(text: &str, keymap: &Keymap) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('⟦') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + '⟦'.len_utf8()..).unwrap_or_default();
        let Some(end) = after.find('⟧') else {
            out.push_str(rest.get(start..).unwrap_or_default());
            return out;
        };
        let name = after.get(..end).unwrap_or_default();
        let key = Action::from_name(name)
            .and_then(|a| keymap.keys(a).first().map(ToString::to_string))
            .unwrap_or_else(|| format!(":{name}"));
        out.push_str(&key);
        rest = after.get(end + '⟧'.len_utf8()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A saved change in `lang` (also what an undo question names).
pub fn saved(saved: &Saved, lang: Lang) -> String {
    match lang {
        Lang::Ko => ko::saved(saved),
        Lang::En => en::saved(saved),
    }
}

/// A yes/no question in `lang`, with the yes and no keys in force.
pub fn question(question: &Question, lang: Lang, keymap: &Keymap) -> String {
    with_keys(
        &match lang {
            Lang::Ko => ko::question(question),
            Lang::En => en::question(question),
        },
        keymap,
    )
}

/// Why a form cannot be saved, in `lang`.
pub fn form_error(error: &FormError, lang: Lang) -> String {
    match lang {
        Lang::Ko => ko::form_error(error),
        Lang::En => en::form_error(error),
    }
}

/// A screen's name in `lang`.
pub fn screen_title(screen: Screen, lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => ko::screen_title(screen),
        Lang::En => en::screen_title(screen),
    }
}

/// A form field's label in `lang`.
pub fn field_label(field: FieldId, lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => ko::field_label(field),
        Lang::En => en::field_label(field),
    }
}

/// A form's title in `lang`.
pub fn form_title(form: &Form, lang: Lang) -> String {
    match lang {
        Lang::Ko => ko::form_title(form.kind, &form.subject),
        Lang::En => en::form_title(form.kind, &form.subject),
    }
}

/// Why the store did not do something, in `lang`: the words the rules, the roles, the store
/// and the connection have for it (the same as on the command line).
fn failure(failure: &Failure, lang: Lang) -> String {
    match failure {
        Failure::Stale(stale) => stale.localize(lang),
        Failure::Refused(e) => e.localize(lang),
        Failure::Denied(e) => e.localize(lang),
        Failure::UndoUnknown { seq } => BackendError::UndoUnknown { seq: *seq }.localize(lang),
        Failure::Store(e) => e.localize(lang),
        Failure::Server { ko, en, .. } => lang.pick(ko, en).to_string(),
        Failure::Connection(e) => e.localize(lang),
    }
}
