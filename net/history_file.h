// Writing a history file (contract section 3) so that it is either whole or absent: the text goes
// to a temporary file beside it, which is renamed over the target only once complete.
#ifndef LOCKSIM_NET_HISTORY_FILE_H_
#define LOCKSIM_NET_HISTORY_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "check/history.h"

namespace locksim::net {

// Checks, before a run, that `path` can be written: creates and removes the temporary file the
// write will use. Errors name the path.
absl::Status CheckHistoryPathWritable(const std::string& path);

// Writes `history` to `path` atomically (temporary file + rename). Errors name the path; on an
// error nothing is left behind.
absl::Status WriteHistoryFileAtomically(const std::string& path, const check::History& history);

}  // namespace locksim::net

#endif  // LOCKSIM_NET_HISTORY_FILE_H_
