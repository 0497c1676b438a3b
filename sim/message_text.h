// How the simulator names and summarises protocol messages: short text for traces and a content
// hash for fingerprints. Text is built only when a trace sink wants it; the hash always.
#ifndef LOCKSIM_SIM_MESSAGE_TEXT_H_
#define LOCKSIM_SIM_MESSAGE_TEXT_H_

#include <cstdint>
#include <string>

#include "service/messages.h"

namespace locksim::sim {

// e.g. "request c0#3 lock(l1)", "forward #7 c1#2 unlock(l0)=true".
std::string DescribeMessage(const service::Message& message);
uint64_t MessageHash(const service::Message& message);

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_MESSAGE_TEXT_H_
