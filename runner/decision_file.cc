#include "runner/decision_file.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "scenario/duplicate_keys.h"
#include "service/node_id.h"

namespace locksim::runner {
namespace {

using nlohmann::json;

absl::Status Error(const std::string& path, const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", where, ": ", what));
}

// Why `name` names no stream, for the error message.
std::string WhyNotAStream(const std::string& name, int clients) {
  // A client beyond the scenario's is the likely mistake: say so in the parser's words.
  for (const char* prefix : {"workload ", "link "}) {
    if (name.rfind(prefix, 0) != 0) continue;
    std::string rest = name.substr(std::string(prefix).size());
    for (const std::string& node :
         {rest.substr(0, rest.find('>')),
          rest.find('>') == std::string::npos ? std::string() : rest.substr(rest.find('>') + 1)}) {
      if (node.empty()) continue;
      absl::StatusOr<service::NodeId> parsed = service::ParseNodeName(node, clients);
      if (!parsed.ok()) return std::string(parsed.status().message());
    }
  }
  return "not a stream name (\"link FROM>TO\", \"workload clientN\", \"plan\", "
         "\"inject primary|backup\" or \"order\")";
}

}  // namespace

std::string DecisionFileText(const DecisionFile& file) {
  std::string out = "{";
  absl::StrAppend(&out, "\"format\": ", json(kDecisionFileFormat).dump(),
                  ", \"version\": ", kDecisionFileVersion, ",\n");
  absl::StrAppend(&out, " \"scenario\": ", json(file.scenario).dump(), ", \"seed\": ", file.seed,
                  ", \"flaw\": ", file.flaw.empty() ? "null" : json(file.flaw).dump(),
                  ", \"schedule\": ", file.schedule.empty() ? "null" : json(file.schedule).dump(),
                  ",\n");
  absl::StrAppend(&out, " \"decisions\": ", file.decisions.size(), ",\n \"streams\": {");
  bool first = true;
  for (const auto& [key, stream] : file.decisions.streams()) {
    absl::StrAppend(&out, first ? "\n" : ",\n", "  ", json(stream.first.Name()).dump(), ": [");
    first = false;
    for (size_t i = 0; i < stream.second.size(); ++i) {
      const sim::DecisionList::Entry& entry = stream.second[i];
      absl::StrAppend(&out, i > 0 ? ", " : "", "[\"", sim::DecisionKindName(entry.kind), "\", ",
                      entry.bound, ", ", entry.value, "]");
    }
    absl::StrAppend(&out, "]");
  }
  absl::StrAppend(&out, first ? "}}\n" : "\n }}\n");
  return out;
}

absl::StatusOr<DecisionFile> DecisionFileFromJson(const json& value, const std::string& path,
                                                  int clients) {
  if (!value.is_object()) return Error(path, "(root)", "expected an object");
  if (!value.contains("format") || value["format"] != kDecisionFileFormat) {
    return Error(path, "format",
                 absl::StrCat("expected \"", kDecisionFileFormat,
                              "\" (is this a `locksim run --record-decisions` file?)"));
  }
  if (!value.contains("version") || value["version"] != kDecisionFileVersion) {
    return Error(path, "version", absl::StrCat("expected ", kDecisionFileVersion));
  }
  for (const auto& [key, item] : value.items()) {
    if (key != "format" && key != "version" && key != "scenario" && key != "seed" &&
        key != "flaw" && key != "schedule" && key != "decisions" && key != "streams") {
      return Error(path, key, "unknown key");
    }
  }
  DecisionFile file;
  const auto optional_string = [&](const char* key, std::string* out) -> absl::Status {
    if (!value.contains(key) || value[key].is_null()) return absl::OkStatus();
    if (!value[key].is_string()) return Error(path, key, "expected a string or null");
    *out = value[key].get<std::string>();
    return absl::OkStatus();
  };
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"scenario", &file.scenario},
                                 {"flaw", &file.flaw},
                                 {"schedule", &file.schedule}}) {
    if (absl::Status status = optional_string(key, out); !status.ok()) return status;
  }
  if (value.contains("seed")) {
    if (!value["seed"].is_number_unsigned()) {
      return Error(path, "seed", "expected a non-negative integer");
    }
    file.seed = value["seed"].get<uint64_t>();
  }
  if (!value.contains("streams") || !value["streams"].is_object()) {
    return Error(path, "streams", "expected an object of decision lists, one per stream");
  }
  for (const auto& [name, list] : value["streams"].items()) {
    const std::string where = absl::StrCat("streams[", json(name).dump(), "]");
    const std::optional<sim::DecisionStream> stream = sim::DecisionStream::Parse(name, clients);
    if (!stream.has_value()) return Error(path, where, WhyNotAStream(name, clients));
    if (!list.is_array()) return Error(path, where, "expected an array of [kind, bound, value]");
    if (list.empty()) continue;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string at = absl::StrCat(where, "[", i, "]");
      const json& entry = list[i];
      if (!entry.is_array() || entry.size() != 3 || !entry[0].is_string() ||
          !entry[1].is_number_unsigned() || !entry[2].is_number_unsigned()) {
        return Error(path, at, "expected [kind, bound, value]: a kind name and two integers");
      }
      const std::optional<sim::DecisionKind> kind =
          sim::DecisionKindByName(entry[0].get<std::string>());
      if (!kind.has_value()) {
        return Error(path, at,
                     absl::StrCat("\"", entry[0].get<std::string>(), "\" is not a decision kind"));
      }
      const uint64_t bound = entry[1].get<uint64_t>();
      const uint64_t chosen = entry[2].get<uint64_t>();
      if (bound < 2 || chosen >= bound) {
        return Error(path, at, "expected 2 <= bound and 0 <= value < bound");
      }
      file.decisions.Append(*stream, sim::DecisionList::Entry{*kind, bound, chosen});
    }
  }
  if (value.contains("decisions") &&
      (!value["decisions"].is_number_unsigned() ||
       value["decisions"].get<uint64_t>() != file.decisions.size())) {
    return Error(path, "decisions",
                 absl::StrCat("says ", value["decisions"].dump(), " but the streams hold ",
                              file.decisions.size(), " decisions"));
  }
  return file;
}

absl::StatusOr<DecisionFile> LoadDecisionFile(const std::string& path, int clients) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read the file"));
  std::ostringstream text;
  text << in.rdbuf();
  json value;
  try {
    value = json::parse(text.str());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (const size_t at = what.find("parse error"); at != std::string::npos) what = what.substr(at);
    return absl::InvalidArgumentError(absl::StrCat(path, ": (root): not valid JSON: ", what));
  }
  if (const std::optional<std::string> repeated = scenario::FindDuplicateKey(text.str())) {
    return Error(path, *repeated, "key given twice in one object");
  }
  return DecisionFileFromJson(value, path, clients);
}

}  // namespace locksim::runner
