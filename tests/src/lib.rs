//! End-to-end tests over the real vuxnav binary live in `tests/`.
