//! The interactive scoring terminal interface.
