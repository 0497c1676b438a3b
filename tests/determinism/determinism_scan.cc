#include "tests/determinism/determinism_scan.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <regex>
#include <set>
#include <string_view>
#include <utility>

namespace locksim::lint {
namespace {

constexpr char kThreads[] = "threads or their synchronisation: a run is single-threaded";
constexpr char kClock[] = "a clock: a run knows only its virtual time (sim/time.h)";
constexpr char kSleep[] = "a sleep: a run knows only its virtual time (sim/time.h)";
constexpr char kStdRandom[] =
    "the standard library's random numbers, which differ between implementations: draw from "
    "sim::Prng";

struct Rule {
  std::regex pattern;
  const char* what;
};

// Patterns on the text with comments and literals blanked, preceded by one space so that a
// pattern may ask what comes before a name. `[^\w.>]` before a call: not a member call.
const std::vector<Rule>& CodeRules() {
  static const std::vector<Rule> rules = {
      {std::regex(R"(\b\w+_distribution\b)"), kStdRandom},
      {std::regex(R"(\b(random_device|mt19937(_64)?|minstd_rand0?|default_random_engine|)"
                  R"(ranlux(24|48)(_base)?|knuth_b|(linear_congruential|mersenne_twister|)"
                  R"(subtract_with_carry|discard_block|independent_bits|shuffle_order)_engine)\b)"),
       kStdRandom},
      {std::regex(R"(\bstd::(ranges::)?(random_shuffle|shuffle|sample)\b)"),
       "std::shuffle or std::sample, whose algorithm differs between standard libraries"},
      {std::regex(R"([^\w.>](rand|srand|rand_r|random|srandom|drand48|erand48|lrand48|nrand48|)"
                  R"(mrand48|jrand48|arc4random|arc4random_uniform|arc4random_buf)\s*\()"),
       "the C library's random numbers: draw from sim::Prng"},
      {std::regex(R"(\babsl::(\w*BitGen|Uniform|Bernoulli|Beta|Exponential|Gaussian|LogUniform|)"
                  R"(Poisson|Zipf|MakeSeedSeq)\b)"),
       "absl's random generators, seeded per process: draw from sim::Prng"},
      {std::regex(R"(\b(system_clock|steady_clock|high_resolution_clock|file_clock|utc_clock|)"
                  R"(tai_clock|gps_clock|gettimeofday|clock_gettime|timespec_get|localtime|)"
                  R"(gmtime)\b)"),
       kClock},
      {std::regex(R"(\babsl::(Now|GetCurrentTimeNanos)\b)"), kClock},
      // time(nullptr) or time(&t); clock() inside an expression (not a declaration of a
      // method named clock).
      {std::regex(R"([^\w.>]time\s*\(\s*(nullptr|NULL|0|&\s*\w+)\s*\))"), kClock},
      {std::regex(R"(\bstd::clock\b|[^\w.>:]clock\s*\(\s*\)\s*[-+*/%<>=!),])"), kClock},
      {std::regex(R"(\b(sleep_for|sleep_until|usleep|nanosleep|SleepFor)\b)"), kSleep},
      {std::regex(R"([^\w.>]sleep\s*\()"), kSleep},
      {std::regex(R"(\bstd::(thread|jthread|async|this_thread|mutex|recursive_mutex|timed_mutex|)"
                  R"(recursive_timed_mutex|shared_mutex|shared_timed_mutex|condition_variable|)"
                  R"(condition_variable_any|atomic\w*|counting_semaphore|binary_semaphore|latch|)"
                  R"(barrier)\b)"),
       kThreads},
      {std::regex(R"(\b(pthread_\w+|thread_local)\b)"), kThreads},
      {std::regex(R"(\babsl::(Mutex|MutexLock|CondVar|Notification|BlockingCounter|Barrier)\b)"),
       kThreads},
  };
  return rules;
}

// Headers that exist to do one of the above.
const char* BannedHeader(const std::string& header) {
  static const std::map<std::string, const char*> banned = {
      {"random", kStdRandom},
      {"ctime", kClock},
      {"time.h", kClock},
      {"sys/time.h", kClock},
      {"absl/time/clock.h", kClock},
      {"thread", kThreads},
      {"future", kThreads},
      {"mutex", kThreads},
      {"shared_mutex", kThreads},
      {"condition_variable", kThreads},
      {"semaphore", kThreads},
      {"latch", kThreads},
      {"barrier", kThreads},
      {"stop_token", kThreads},
      {"atomic", kThreads},
      {"pthread.h", kThreads},
  };
  if (const auto it = banned.find(header); it != banned.end()) return it->second;
  if (header.starts_with("absl/random/")) return "absl's random generators: draw from sim::Prng";
  if (header.starts_with("absl/synchronization/")) return kThreads;
  return nullptr;
}

constexpr char kHashIteration[] =
    "iteration over a hash container, whose order Abseil salts per process: iterate an ordered "
    "container or a sorted vector (hash maps are for lookup only)";

const std::regex& HashType() {
  static const std::regex type(
      R"(\b(flat_hash_map|flat_hash_set|node_hash_map|node_hash_set|unordered_map|)"
      R"(unordered_set|unordered_multimap|unordered_multiset)\s*<)");
  return type;
}

// The index of the '>' that closes the '<' at `open`, or npos.
size_t ClosingAngle(const std::string& text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '<') ++depth;
    if (text[i] == '>' && --depth == 0) return i;
    if (text[i] == ';' || text[i] == '{') return std::string::npos;
  }
  return std::string::npos;
}

// The name declared right after a type that ends at `from` ("> table_;", ">& table() const"),
// or "" when none is.
std::string DeclaredName(const std::string& text, size_t from) {
  static const std::regex declarator(R"(^(\s|const\b|[&*])*([A-Za-z_]\w*))");
  std::smatch m;
  const auto begin = text.begin() + static_cast<std::ptrdiff_t>(from);
  if (!std::regex_search(begin, text.end(), m, declarator)) return "";
  const std::string name = m[2].str();
  return name == "const" || name == "operator" ? "" : name;
}

// Names declared with a hash container type in `code` (variables, members, parameters, and
// functions that return one), through any `using X = <hash container>` alias too.
void CollectHashNames(const std::string& code, std::set<std::string>& names) {
  std::set<std::string> aliases;
  static const std::regex alias_before(R"(using\s+([A-Za-z_]\w*)\s*=\s*(absl::|std::)?$)");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), HashType());
       it != std::sregex_iterator(); ++it) {
    const size_t start = static_cast<size_t>(it->position());
    const size_t open = start + static_cast<size_t>(it->length()) - 1;
    const size_t close = ClosingAngle(code, open);
    if (close == std::string::npos) continue;
    const size_t back = start >= 120 ? start - 120 : 0;
    const std::string before = code.substr(back, start - back);
    std::smatch alias;
    if (std::regex_search(before, alias, alias_before)) {
      aliases.insert(alias[1].str());
    } else if (std::string name = DeclaredName(code, close + 1); !name.empty()) {
      names.insert(std::move(name));
    }
  }
  for (const std::string& alias : aliases) {
    const std::regex use("\\b" + alias + "\\b");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), use);
         it != std::sregex_iterator(); ++it) {
      const size_t end = static_cast<size_t>(it->position() + it->length());
      if (std::string name = DeclaredName(code, end); !name.empty()) names.insert(std::move(name));
    }
  }
}

int LineAt(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(),
                                         text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// The last name of an expression: "state.table_" -> "table_", "tables()" -> "tables".
std::string LastName(const std::string& expression) {
  static const std::regex last(R"(([A-Za-z_]\w*)\s*(\(\s*\))?\s*$)");
  std::smatch m;
  return std::regex_search(expression, m, last) ? m[1].str() : "";
}

// Offsets of range-for loops over, and begin() calls on, a name in `hash_names`.
std::vector<size_t> HashIterations(const std::string& code,
                                   const std::set<std::string>& hash_names) {
  std::vector<size_t> found;
  if (hash_names.empty()) return found;
  static const std::regex for_open(R"(\bfor\s*\()");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), for_open);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length()) - 1;
    int depth = 0;
    size_t colon = std::string::npos;
    bool classic = false;
    size_t i = open;
    for (; i < code.size(); ++i) {
      const char c = code[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') {
        if (--depth == 0) break;
      }
      if (depth == 1 && c == ';') classic = true;
      if (depth == 1 && c == ':' && colon == std::string::npos) {
        const bool scope = (i + 1 < code.size() && code[i + 1] == ':') || code[i - 1] == ':';
        if (!scope) colon = i;
      }
    }
    if (classic || colon == std::string::npos || i >= code.size()) continue;
    if (hash_names.contains(LastName(code.substr(colon + 1, i - colon - 1)))) {
      found.push_back(static_cast<size_t>(it->position()));
    }
  }
  static const std::regex begin_call(R"(\b([A-Za-z_]\w*)\s*(\(\s*\))?\s*(\.|->)\s*c?r?begin\s*\()");
  static const std::regex std_begin(R"(\bstd::(ranges::)?c?r?begin\s*\(\s*([A-Za-z_]\w*)\s*\))");
  for (auto it = std::sregex_iterator(code.begin(), code.end(), begin_call);
       it != std::sregex_iterator(); ++it) {
    if (hash_names.contains((*it)[1].str())) found.push_back(static_cast<size_t>(it->position()));
  }
  for (auto it = std::sregex_iterator(code.begin(), code.end(), std_begin);
       it != std::sregex_iterator(); ++it) {
    if (hash_names.contains((*it)[2].str())) found.push_back(static_cast<size_t>(it->position()));
  }
  return found;
}

std::vector<std::string> QuotedIncludes(const std::string& text) {
  static const std::regex include(R"re(#[ \t]*include[ \t]*"([^"\n]+)")re");
  std::vector<std::string> headers;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), include);
       it != std::sregex_iterator(); ++it) {
    headers.push_back((*it)[1].str());
  }
  return headers;
}

bool PathEndsWith(const std::string& path, const std::string& tail) {
  return path == tail || (path.size() > tail.size() && path.ends_with(tail) &&
                          path[path.size() - tail.size() - 1] == '/');
}

}  // namespace

std::string BlankCommentsAndLiterals(const std::string& text) {
  std::string out = text;
  const size_t n = text.size();
  const auto blank = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < n; ++k) {
      if (out[k] != '\n') out[k] = ' ';
    }
  };
  size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      const size_t end = text.find('\n', i);
      blank(i, end == std::string::npos ? n : end);
      i = end == std::string::npos ? n : end;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      const size_t end = text.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c == 'R' && i + 1 < n && text[i + 1] == '"' &&
               (i == 0 ||
                !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_') ||
                text[i - 1] == 'u' || text[i - 1] == 'U' || text[i - 1] == 'L' ||
                text[i - 1] == '8')) {
      const size_t paren = text.find('(', i + 2);
      if (paren == std::string::npos) break;
      const std::string close = ")" + text.substr(i + 2, paren - i - 2) + "\"";
      const size_t end = text.find(close, paren);
      const size_t stop = end == std::string::npos ? n : end + close.size();
      blank(i, stop);
      i = stop;
    } else if (c == '"' || c == '\'') {
      // A ' right after a digit is a digit separator (1'000'000), not a character literal.
      if (c == '\'' && i > 0 && std::isxdigit(static_cast<unsigned char>(text[i - 1])) &&
          i + 1 < n && std::isxdigit(static_cast<unsigned char>(text[i + 1]))) {
        ++i;
        continue;
      }
      size_t j = i + 1;
      while (j < n && text[j] != c && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
      blank(i, std::min(j + 1, n));
      i = j + 1;
    } else {
      ++i;
    }
  }
  return out;
}

std::vector<Finding> ScanForNondeterminism(const std::vector<SourceFile>& files) {
  std::vector<std::string> codes;
  std::vector<std::set<std::string>> declared(files.size());
  for (size_t f = 0; f < files.size(); ++f) {
    codes.push_back(" " + BlankCommentsAndLiterals(files[f].text));
    CollectHashNames(codes[f], declared[f]);
  }
  std::vector<Finding> findings;
  for (size_t f = 0; f < files.size(); ++f) {
    const SourceFile& file = files[f];
    const std::string& code = codes[f];
    std::vector<std::pair<int, std::string>> hits;  // (line, what)
    for (const Rule& rule : CodeRules()) {
      for (auto it = std::sregex_iterator(code.begin(), code.end(), rule.pattern);
           it != std::sregex_iterator(); ++it) {
        // The match may start one character early (the character before a name); the line is
        // the name's. The leading space added above shifts every offset by one.
        const size_t at = static_cast<size_t>(it->position()) + (it->length() > 1 ? 1 : 0);
        hits.emplace_back(LineAt(code, at), rule.what);
      }
    }
    static const std::regex include(R"(#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"])");
    for (auto it = std::sregex_iterator(file.text.begin(), file.text.end(), include);
         it != std::sregex_iterator(); ++it) {
      // Only includes the blanked text still shows as code, not ones inside a comment.
      const size_t at = static_cast<size_t>(it->position());
      if (code[at + 1] != '#') continue;
      if (const char* what = BannedHeader((*it)[1].str())) {
        hits.emplace_back(LineAt(file.text, at), what);
      }
    }
    // Hash containers declared here or in a header this file includes, among the files scanned.
    std::set<std::string> hash_names = declared[f];
    std::vector<size_t> pending = {f};
    std::set<size_t> visited = {f};
    while (!pending.empty()) {
      const size_t g = pending.back();
      pending.pop_back();
      for (const std::string& header : QuotedIncludes(files[g].text)) {
        for (size_t h = 0; h < files.size(); ++h) {
          if (!visited.contains(h) && PathEndsWith(files[h].path, header)) {
            visited.insert(h);
            pending.push_back(h);
            hash_names.insert(declared[h].begin(), declared[h].end());
          }
        }
      }
    }
    for (size_t at : HashIterations(code, hash_names)) {
      hits.emplace_back(LineAt(code, at + 1), kHashIteration);
    }
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    std::vector<std::string_view> lines;
    for (size_t start = 0; start <= file.text.size();) {
      const size_t end = file.text.find('\n', start);
      const size_t stop = end == std::string::npos ? file.text.size() : end;
      lines.emplace_back(file.text.data() + start, stop - start);
      start = stop + 1;
    }
    for (const auto& [line, what] : hits) {
      const size_t index = static_cast<size_t>(line - 1);
      if (index < lines.size() && lines[index].find("NOLINT(determinism)") != std::string::npos) {
        continue;
      }
      findings.push_back(Finding{file.path, line, what});
    }
  }
  return findings;
}

}  // namespace locksim::lint
