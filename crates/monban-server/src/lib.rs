//! monban-server
