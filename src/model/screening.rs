//! Screening: pass/fail tests (critical success factors) that filter the
//! long list before anything is ranked. An option that fails any test is
//! screened out: it appears in the long list with its reasons and takes no
//! part in ranking or sensitivity.

use serde::Serialize;

use super::error::ModelError;
use super::text::{Id, check_name, check_text};

/// One pass/fail test.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    id: Id,
    name: String,
    /// What an option must do to pass.
    pub description: Option<String>,
}

impl Screen {
    /// A test with a checked name.
    pub fn new(id: Id, name: &str) -> Result<Screen, ModelError> {
        check_name(name)?;
        Ok(Screen {
            id,
            name: name.to_owned(),
            description: None,
        })
    }

    /// The test's id.
    pub fn id(&self) -> &Id {
        &self.id
    }

    /// The test's display name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// One option's result on one test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenResult {
    /// Whether the option passes.
    pub pass: bool,
    /// Why: required for a failure, optional for a pass.
    pub reason: Option<String>,
}

impl ScreenResult {
    /// A pass, with an optional reason.
    pub fn pass(reason: Option<String>) -> ScreenResult {
        ScreenResult { pass: true, reason }
    }

    /// A failure with its reason; a blank reason is refused, since a long
    /// list must say why each option was dropped.
    pub fn fail(reason: String) -> Result<ScreenResult, ModelError> {
        if reason.trim().is_empty() {
            return Err(ModelError::FailWithoutReason);
        }
        check_text(&reason)?;
        Ok(ScreenResult {
            pass: false,
            reason: Some(reason),
        })
    }
}
