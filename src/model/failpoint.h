// Fault injection for the kill tests: named points in the commit protocol
// where a run can be made to die. SPARKIFY_FAILPOINTS=name[,name…] in the
// environment makes the process SIGKILL itself on reaching one, so a test
// can stop it exactly between two steps that a random kill almost never
// falls between. Unset (always, outside tests), a failpoint costs one
// comparison.
#pragma once

namespace sparkify::model {

// Kills the process (SIGKILL, as an operator or the OOM killer would) when
// `name` is listed in SPARKIFY_FAILPOINTS; returns otherwise.
void failpoint(const char* name);

}  // namespace sparkify::model
