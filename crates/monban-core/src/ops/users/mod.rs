//! users operations.
