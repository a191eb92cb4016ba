-- Slot for the audit tables; replaced by the work that needs it.
SELECT 1;
