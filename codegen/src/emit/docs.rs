//! Markdown and HTML reference documentation for a document.
