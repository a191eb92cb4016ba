//! user_pools operations.
