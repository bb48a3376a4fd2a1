//! The build-script API.
