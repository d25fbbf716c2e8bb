#!/usr/bin/env node
// Kept so older scripts keep working: the same as `npx hearth` (bin/hearth.mjs, commands in cli/).
// `node scripts/hearth.mjs token|get|ws ...` behave as they always did.
import "../bin/hearth.mjs";
