//! monban-testkit
