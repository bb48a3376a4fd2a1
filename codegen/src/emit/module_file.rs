//! The whole generated API as one module file, for build scripts (`include!` from `OUT_DIR`).
