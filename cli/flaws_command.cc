// `locksim flaws [--json]`: the built-in flaws, named and described.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/command.h"
#include "service/flaws.h"

namespace locksim::cli {
namespace {

// Wraps `text` at `width` columns, each line starting with `indent`.
std::string Wrap(std::string_view text, size_t width, std::string_view indent) {
  std::string out(indent);
  size_t column = indent.size();
  std::istringstream words{std::string(text)};
  for (std::string word; words >> word;) {
    if (column > indent.size() && column + 1 + word.size() > width) {
      out += "\n";
      out += indent;
      column = indent.size();
    } else if (column > indent.size()) {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

int FlawsCommand(bool json) {
  if (json) {
    nlohmann::ordered_json flaws = nlohmann::ordered_json::array();
    for (const service::FlawInfo& info : service::AllFlaws()) {
      flaws.push_back({{"name", info.name}, {"description", info.description}});
    }
    std::cout << nlohmann::ordered_json{{"flaws", std::move(flaws)}}.dump() << "\n";
    return kExitPass;
  }
  std::cout << "Built-in flaws: deliberate bugs that --flaw NAME switches on in `locksim run` "
               "and `locksim sweep`.\n";
  for (const service::FlawInfo& info : service::AllFlaws()) {
    std::cout << "\n  " << info.name << "\n" << Wrap(info.description, 96, "      ") << "\n";
  }
  return kExitPass;
}

}  // namespace

void RegisterFlawsCommand(CLI::App& root, int* exit_status) {
  auto json = std::make_shared<bool>(false);
  CLI::App* flaws = root.add_subcommand("flaws",
                                        "List the built-in flaws (named, documented "
                                        "bugs for --flaw NAME).");
  flaws->add_flag("--json", *json, "print one JSON object");
  flaws->callback([json, exit_status] { *exit_status = FlawsCommand(*json); });
}

}  // namespace locksim::cli
