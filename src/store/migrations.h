// Versioned schema migrations. Each migration runs once, in order, in its own
// write transaction, and is recorded in schema_migrations.
#pragma once

#include "store/db.h"

namespace earshot::store {

// Brings the schema up to the latest version. Idempotent.
Status Migrate(Db& db);

// The latest schema version this build knows.
int LatestSchemaVersion();

}  // namespace earshot::store
