//! app_clients operations.
