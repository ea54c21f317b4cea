-- Upload performance: no query reads observations by upload (an upload's outcome is its row in upload, and
-- observations are read by patient), yet every stored observation paid for an entry in this index.
DROP INDEX IF EXISTS observation_upload_idx;
