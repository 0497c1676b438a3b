// Every kind of error: the exact one-line message, naming the file and the JSON path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The error message of parsing `json` as "x.json" ("parsed" if it parses).
std::string Error(const std::string& json) {
  const absl::StatusOr<Scenario> s = ParseScenario(json, "x.json");
  if (s.ok()) return "parsed";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

// A scripted scenario with two clients whose one step is `step`.
std::string StepError(const std::string& step) {
  return Error(R"({"clients": 2, "steps": [{"sleep_ms": 1}, )" + step + "]}");
}

// A random scenario with three clients whose one fault is `fault`.
std::string FaultError(const std::string& fault) {
  return Error(R"({"clients": 3, "workload": {"ops_per_client": 1}, "faults": [)" + fault + "]}");
}

std::string WorkloadError(const std::string& workload) {
  return Error(R"({"workload": )" + workload + "}");
}

constexpr char kSteps[] = R"("steps": [{"sleep_ms": 1}])";

std::string TopError(const std::string& keys) { return Error("{" + keys + ", " + kSteps + "}"); }

TEST(ScenarioErrors, BadJsonSaysWhere) {
  EXPECT_EQ(Error("{\n  \"clients\": 2,\n  \"steps\": [}\n"),
            "x.json: steps[0]: not valid JSON: parse error at line 3, column 13: syntax error "
            "while parsing value - unexpected '}'; expected '[', '{', or a literal");
  EXPECT_THAT(Error(R"({"steps": [{"client": 0, "lock": "a"} {"sleep_ms": 1}]})"),
              StartsWith("x.json: steps[1]: not valid JSON: parse error at line 1, column 39: "));
  EXPECT_THAT(Error(""), StartsWith("x.json: (root): not valid JSON: parse error at line 1, "
                                    "column 1: "));
  EXPECT_THAT(Error(R"({"clients": 1,})"),
              StartsWith("x.json: (root): not valid JSON: parse error at line 1, column 15: "));
}

TEST(ScenarioErrors, RootNotAnObject) {
  EXPECT_EQ(Error("[]"), "x.json: (root): expected an object, found an array");
  EXPECT_EQ(Error("3"), "x.json: (root): expected an object, found an integer");
  EXPECT_EQ(Error("null"), "x.json: (root): expected an object, found null");
}

TEST(ScenarioErrors, UnknownKeyAtEveryLevel) {
  EXPECT_EQ(TopError(R"("client": 2)"),
            "x.json: client: unknown key (expected one of: name, description, seed, clients, "
            "rpc_timeout_ms, network, steps, workload, faults, expect, budget)");
  EXPECT_EQ(TopError(R"("network": {"latency": 1})"),
            "x.json: network.latency: unknown key (expected one of: latency_ms, drop, "
            "duplicate, messages)");
  EXPECT_EQ(TopError(R"("network": {"drop": {"forwrd": 0.1}})"),
            "x.json: network.drop.forwrd: unknown key (expected one of: request, reply, forward, "
            "forward_reply)");
  EXPECT_EQ(TopError(R"("network": {"duplicate": {"replies": 0.1}})"),
            "x.json: network.duplicate.replies: unknown key (expected one of: request, reply, "
            "forward, forward_reply)");
  EXPECT_EQ(TopError(R"("network": {"latency_ms": {"min": 1, "max": 2, "mean": 1}})"),
            "x.json: network.latency_ms.mean: unknown key (expected one of: min, max)");
  EXPECT_EQ(TopError(R"("budget": {"max_steps": 1})"),
            "x.json: budget.max_steps: unknown key (expected one of: max_events, max_time_ms)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "lock": 2})"),
            "x.json: workload.lock: unknown key (expected one of: ops_per_client, locks, "
            "unlock_fraction, think_ms)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "think_ms": {"min": 0, "mx": 1}})"),
            "x.json: workload.think_ms.mx: unknown key (expected one of: min, max)");
  EXPECT_EQ(StepError(R"({"client": 0, "lock": "a", "expected": true})"),
            "x.json: steps[1].expected: unknown key (expected one of: client, lock, unlock, "
            "expect, async, crash, deaf, sleep_ms, wait_for, after, at)");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at": 1})"),
            "x.json: faults[0].at: unknown key (expected one of: crash, deaf, partition, at_ms, "
            "after_messages, after_forwards, heal_after_ms, one_way)");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at_ms": {"min": 1, "max": 2, "step": 1}})"),
            "x.json: faults[0].at_ms.step: unknown key (expected one of: min, max)");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "after_messages": {"lo": 1}})"),
            "x.json: faults[0].after_messages.lo: unknown key (expected one of: min, max)");
}

TEST(ScenarioErrors, WrongTypes) {
  EXPECT_EQ(TopError(R"("name": 3)"), "x.json: name: expected a string, found an integer");
  EXPECT_EQ(TopError(R"("description": ["a"])"),
            "x.json: description: expected a string, found an array");
  EXPECT_EQ(TopError(R"("seed": "1")"),
            "x.json: seed: expected a non-negative integer below 2^64, found a string");
  EXPECT_EQ(TopError(R"("seed": 1.5)"),
            "x.json: seed: expected a non-negative integer below 2^64, found a number");
  EXPECT_EQ(TopError(R"("clients": 2.0)"), "x.json: clients: expected an integer, found a number");
  EXPECT_EQ(TopError(R"("clients": "2")"), "x.json: clients: expected an integer, found a string");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": "1s")"),
            "x.json: rpc_timeout_ms: expected milliseconds (a number), found a string");
  EXPECT_EQ(TopError(R"("expect": true)"), "x.json: expect: expected a string, found a boolean");
  EXPECT_EQ(TopError(R"("network": [])"), "x.json: network: expected an object, found an array");
  EXPECT_EQ(TopError(R"("network": {"latency_ms": 5})"),
            "x.json: network.latency_ms: expected {\"min\": a, \"max\": b}");
  EXPECT_EQ(TopError(R"("network": {"drop": 0.1})"),
            "x.json: network.drop: expected an object, found a number");
  EXPECT_EQ(TopError(R"("network": {"drop": {"reply": "0.1"}})"),
            "x.json: network.drop.reply: expected a probability (a number from 0 to 1), found a "
            "string");
  EXPECT_EQ(TopError(R"("budget": 5)"), "x.json: budget: expected an object, found an integer");
  EXPECT_EQ(TopError(R"("budget": {"max_events": 1e6})"),
            "x.json: budget.max_events: expected an integer, found a number");
  EXPECT_EQ(Error(R"({"steps": {}})"), "x.json: steps: expected an array, found an object");
  EXPECT_EQ(StepError("3"), "x.json: steps[1]: expected an object, found an integer");
  EXPECT_EQ(StepError(R"({"client": "0", "lock": "a"})"),
            "x.json: steps[1].client: expected a client number, found a string");
  EXPECT_EQ(StepError(R"({"client": 0, "lock": 1})"),
            "x.json: steps[1].lock: expected a string, found an integer");
  EXPECT_EQ(StepError(R"({"client": 0, "lock": "a", "expect": "yes"})"),
            "x.json: steps[1].expect: expected true or false, found a string");
  EXPECT_EQ(StepError(R"({"client": 0, "lock": "a", "async": 1})"),
            "x.json: steps[1].async: expected true or false, found an integer");
  EXPECT_EQ(StepError(R"({"crash": "primry"})"),
            "x.json: steps[1].crash: \"primry\" is not a server (expected \"primary\" or "
            "\"backup\")");
  EXPECT_EQ(StepError(R"({"crash": "client0"})"),
            "x.json: steps[1].crash: \"client0\" is not a server (expected \"primary\" or "
            "\"backup\")");
  EXPECT_EQ(StepError(R"({"deaf": 0})"),
            "x.json: steps[1].deaf: expected a string, found an integer");
  EXPECT_EQ(StepError(R"({"sleep_ms": null})"),
            "x.json: steps[1].sleep_ms: expected milliseconds (a number), found null");
  EXPECT_EQ(StepError(R"({"wait_for": "1"})"),
            "x.json: steps[1].wait_for: expected a client number, found a string");
  EXPECT_EQ(Error(R"({"workload": 1})"), "x.json: workload: expected an object, found an integer");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": "a"})"),
            "x.json: workload.locks: expected an integer, found a string");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": ["a", 1]})"),
            "x.json: workload.locks[1]: expected a string, found an integer");
  EXPECT_EQ(Error(R"({"workload": {"ops_per_client": 1}, "faults": {}})"),
            "x.json: faults: expected an array, found an object");
  EXPECT_EQ(FaultError("[]"), "x.json: faults[0]: expected an object, found an array");
  EXPECT_EQ(FaultError(R"({"crash": "sideways", "at_ms": 1})"),
            "x.json: faults[0].crash: \"sideways\" is not a server (expected \"primary\", "
            "\"backup\" or \"either\")");
  EXPECT_EQ(FaultError(R"({"deaf": "either", "at_ms": 1})"),
            "x.json: faults[0].deaf: \"either\" is not a server (expected \"primary\" or "
            "\"backup\")");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], ["backup"]], "at_ms": 1, "one_way": 1})"),
            "x.json: faults[0].one_way: expected true or false, found an integer");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"]], "at_ms": 1})"),
            "x.json: faults[0].partition: expected two groups of node names, e.g. "
            "[[\"primary\"], [\"backup\"]]");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], []], "at_ms": 1})"),
            "x.json: faults[0].partition[1]: expected a non-empty array of node names");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], [2]], "at_ms": 1})"),
            "x.json: faults[0].partition[1][0]: expected a string, found an integer");
}

TEST(ScenarioErrors, OutOfRangeValues) {
  EXPECT_EQ(TopError(R"("clients": 0)"), "x.json: clients: 0 is out of range (expected 1 to 1000)");
  EXPECT_EQ(TopError(R"("clients": 1001)"),
            "x.json: clients: 1001 is out of range (expected 1 to 1000)");
  EXPECT_EQ(TopError(R"("clients": -1)"),
            "x.json: clients: -1 is out of range (expected 1 to 1000)");
  EXPECT_EQ(TopError(R"("name": "")"), "x.json: name: must not be empty");
  EXPECT_EQ(TopError(R"("seed": -1)"), "x.json: seed: expected a non-negative integer");
  EXPECT_EQ(TopError(R"("expect": "fail")"),
            "x.json: expect: \"fail\" is not an outcome (expected \"pass\" or \"violation\")");
  EXPECT_EQ(TopError(R"("network": {"drop": {"reply": 1.5}})"),
            "x.json: network.drop.reply: 1.5 is not a probability (expected 0 to 1)");
  EXPECT_EQ(TopError(R"("network": {"duplicate": {"forward": -0.1}})"),
            "x.json: network.duplicate.forward: -0.1 is not a probability (expected 0 to 1)");
  EXPECT_EQ(TopError(R"("network": {"drop": {"request": 2}})"),
            "x.json: network.drop.request: 2 is not a probability (expected 0 to 1)");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": 0)"), "x.json: rpc_timeout_ms: must be greater than 0");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": -5)"), "x.json: rpc_timeout_ms: -5 ms is negative");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": -0.5)"), "x.json: rpc_timeout_ms: -0.5 ms is negative");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": 86400001)"),
            "x.json: rpc_timeout_ms: 86400001 ms is too long (at most 86400000 ms)");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": 1e300)"),
            "x.json: rpc_timeout_ms: 1e+300 ms is too long (at most 86400000 ms)");
  EXPECT_EQ(TopError(R"("rpc_timeout_ms": 18446744073709551615)"),
            "x.json: rpc_timeout_ms: 18446744073709551615 ms is too long (at most 86400000 ms)");
  EXPECT_EQ(TopError(R"("budget": {"max_time_ms": 2592000001})"),
            "x.json: budget.max_time_ms: 2592000001 ms is too long (at most 2592000000 ms)");
  EXPECT_EQ(TopError(R"("budget": {"max_events": 0})"),
            "x.json: budget.max_events: 0 is out of range (expected 1 to 1000000000)");
  EXPECT_EQ(TopError(R"("budget": {"max_events": 1000000001})"),
            "x.json: budget.max_events: 1000000001 is out of range (expected 1 to 1000000000)");
  EXPECT_EQ(StepError(R"({"sleep_ms": -1})"), "x.json: steps[1].sleep_ms: -1 ms is negative");
  EXPECT_EQ(StepError(R"({"client": 5, "lock": "a"})"),
            "x.json: steps[1].client: client 5 does not exist (clients: 2)");
  EXPECT_EQ(StepError(R"({"client": -1, "unlock": "a"})"),
            "x.json: steps[1].client: client -1 does not exist (clients: 2)");
  EXPECT_EQ(StepError(R"({"client": 0, "lock": ""})"),
            "x.json: steps[1].lock: a lock name must not be empty");
  EXPECT_EQ(StepError(R"({"client": 0, "unlock": ""})"),
            "x.json: steps[1].unlock: a lock name must not be empty");
}

TEST(ScenarioErrors, FinerThanAMicrosecond) {
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "think_ms": {"min": 0.0005, "max": 1}})"),
            "x.json: workload.think_ms.min: 0.0005 ms is finer than the 1 µs resolution (use "
            "whole microseconds, e.g. 0.001)");
  EXPECT_EQ(StepError(R"({"sleep_ms": 1.0001})"),
            "x.json: steps[1].sleep_ms: 1.0001 ms is finer than the 1 µs resolution (use whole "
            "microseconds, e.g. 0.001)");
  // Large values keep the 1 µs resolution too.
  EXPECT_EQ(StepError(R"({"sleep_ms": 86000000.0005})"),
            "x.json: steps[1].sleep_ms: 86000000.0005 ms is finer than the 1 µs resolution (use "
            "whole microseconds, e.g. 0.001)");
  EXPECT_EQ(TopError(R"("budget": {"max_time_ms": 2000000000.0004})"),
            "x.json: budget.max_time_ms: 2000000000.0004 ms is finer than the 1 µs resolution "
            "(use whole microseconds, e.g. 0.001)");
}

TEST(ScenarioErrors, WorkloadBounds) {
  EXPECT_EQ(WorkloadError("{}"), "x.json: workload: needs \"ops_per_client\"");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 0})"),
            "x.json: workload.ops_per_client: 0 is out of range (expected 1 to 1000000)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1000001})"),
            "x.json: workload.ops_per_client: 1000001 is out of range (expected 1 to 1000000)");
  EXPECT_EQ(Error(R"({"clients": 11, "workload": {"ops_per_client": 1000000}})"),
            "x.json: workload.ops_per_client: 1000000 operations x 11 clients is more than "
            "10000000 in one run");
  EXPECT_EQ(Error(R"({"clients": 1000, "workload": {"ops_per_client": 10000}})"), "parsed");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": 0})"),
            "x.json: workload.locks: 0 is out of range (expected 1 to 10000)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": 10001})"),
            "x.json: workload.locks: 10001 is out of range (expected 1 to 10000)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": []})"),
            "x.json: workload.locks: expected 1 to 10000 lock names");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": ["a", "b", "a"]})"),
            "x.json: workload.locks[2]: \"a\" appears twice");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "locks": ["a", ""]})"),
            "x.json: workload.locks[1]: must not be empty");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "unlock_fraction": 1.5})"),
            "x.json: workload.unlock_fraction: 1.5 is not a probability (expected 0 to 1)");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "think_ms": {"min": 5, "max": 1}})"),
            "x.json: workload.think_ms: min is greater than max");
  EXPECT_EQ(WorkloadError(R"({"ops_per_client": 1, "think_ms": {"min": 5}})"),
            "x.json: workload.think_ms: expected {\"min\": a, \"max\": b} with both keys");
}

TEST(ScenarioErrors, StepsOrWorkload) {
  EXPECT_EQ(Error(R"({"steps": [{"sleep_ms": 1}], "workload": {"ops_per_client": 1}})"),
            "x.json: (root): give either \"steps\" or \"workload\", not both");
  EXPECT_EQ(Error(R"({"clients": 2})"),
            "x.json: (root): expected \"steps\" (a scripted run) or \"workload\" (a random run)");
  EXPECT_EQ(Error(R"({"steps": [{"sleep_ms": 1}], "faults": []})"),
            "x.json: faults: faults go with a \"workload\"; a scripted run puts {\"crash\": ...} "
            "and {\"deaf\": ...} among its steps");
  EXPECT_EQ(Error(R"({"steps": []})"), "x.json: steps: expected at least one step");
}

TEST(ScenarioErrors, StepActions) {
  EXPECT_EQ(StepError(R"({"client": 0, "lock": "a", "unlock": "a"})"),
            "x.json: steps[1]: expected one action, found 2 (lock and unlock)");
  EXPECT_EQ(StepError(R"({"crash": "primary", "sleep_ms": 5})"),
            "x.json: steps[1]: expected one action, found 2 (crash and sleep_ms)");
  EXPECT_EQ(StepError("{}"),
            "x.json: steps[1]: expected one action: lock, unlock, crash, deaf, sleep_ms or "
            "wait_for");
  EXPECT_EQ(StepError(R"({"client": 0, "expect": true})"),
            "x.json: steps[1]: expected one action: lock, unlock, crash, deaf, sleep_ms or "
            "wait_for");
  EXPECT_EQ(StepError(R"({"lock": "a"})"),
            "x.json: steps[1]: a lock or unlock step needs \"client\"");
  EXPECT_EQ(StepError(R"({"crash": "primary", "expect": true})"),
            "x.json: steps[1].expect: only lock and unlock steps take \"expect\"");
  EXPECT_EQ(StepError(R"({"crash": "primary", "async": true})"),
            "x.json: steps[1].async: only lock and unlock steps take \"async\"");
  EXPECT_EQ(StepError(R"({"crash": "primary", "client": 0})"),
            "x.json: steps[1].client: only lock and unlock steps take \"client\"");
  EXPECT_EQ(StepError(R"({"sleep_ms": 1, "client": 0})"),
            "x.json: steps[1].client: only lock and unlock steps take \"client\"");
  EXPECT_EQ(StepError(R"({"wait_for": 2})"),
            "x.json: steps[1].wait_for: client 2 does not exist (clients: 2)");
  EXPECT_EQ(StepError(R"({"wait_for": -3})"),
            "x.json: steps[1].wait_for: client -3 does not exist (clients: 2)");
  EXPECT_EQ(Error(R"({"clients": 2, "steps": [{"sleep_ms": 1}, {"sleep_ms": 1}, {"sleep_ms": 1},
                      {"client": 5, "lock": "a"}]})"),
            "x.json: steps[3].client: client 5 does not exist (clients: 2)");
}

TEST(ScenarioErrors, FaultShapes) {
  EXPECT_EQ(FaultError("{}"),
            "x.json: faults[0]: expected exactly one of \"crash\", \"deaf\" or \"partition\"");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "deaf": "primary", "at_ms": 1})"),
            "x.json: faults[0]: expected exactly one of \"crash\", \"deaf\" or \"partition\"");
  EXPECT_EQ(FaultError(R"({"crash": "primary"})"),
            "x.json: faults[0]: a crash needs exactly one trigger: \"at_ms\", \"after_messages\" "
            "or \"after_forwards\"");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at_ms": 1, "after_messages": 2})"),
            "x.json: faults[0]: a crash needs exactly one trigger: \"at_ms\", \"after_messages\" "
            "or \"after_forwards\"");
  EXPECT_EQ(FaultError(R"({"crash": "backup", "after_forwards": 2})"),
            "x.json: faults[0].after_forwards: only the primary sends forwards");
  EXPECT_EQ(FaultError(R"({"crash": "either", "after_forwards": 2})"),
            "x.json: faults[0].after_forwards: only the primary sends forwards");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "after_messages": 0})"),
            "x.json: faults[0].after_messages: 0 is out of range (expected 1 to 100000000)");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "after_forwards": {"min": 9, "max": 3}})"),
            "x.json: faults[0].after_forwards: min is greater than max");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at_ms": {"min": 9, "max": 3}})"),
            "x.json: faults[0].at_ms: min is greater than max");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at_ms": 1, "one_way": true})"),
            "x.json: faults[0].one_way: only a partition takes this");
  EXPECT_EQ(FaultError(R"({"deaf": "primary", "at_ms": 1, "heal_after_ms": 1})"),
            "x.json: faults[0].heal_after_ms: only a partition takes this");
  EXPECT_EQ(FaultError(R"({"deaf": "primary", "after_messages": 1})"),
            "x.json: faults[0].after_messages: only a crash takes this trigger");
  EXPECT_EQ(FaultError(R"({"deaf": "primary"})"),
            "x.json: faults[0]: needs \"at_ms\" (when it starts)");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], ["backup"]]})"),
            "x.json: faults[0]: needs \"at_ms\" (when it starts)");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], ["backup"]], "at_ms": 1,
                           "heal_after_ms": {"min": 2, "max": 1}})"),
            "x.json: faults[0].heal_after_ms: min is greater than max");
}

TEST(ScenarioErrors, PartitionNodeNames) {
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], ["backup", "server"]], "at_ms": 1})"),
            "x.json: faults[0].partition[1][1]: \"server\" is not a node (expected \"primary\", "
            "\"backup\", \"clients\" or \"client<i>\")");
  EXPECT_EQ(FaultError(R"({"partition": [["client01"], ["backup"]], "at_ms": 1})"),
            "x.json: faults[0].partition[0][0]: \"client01\" is not a node (expected "
            "\"primary\", \"backup\", \"clients\" or \"client<i>\")");
  EXPECT_EQ(FaultError(R"({"partition": [["client"], ["backup"]], "at_ms": 1})"),
            "x.json: faults[0].partition[0][0]: \"client\" is not a node (expected \"primary\", "
            "\"backup\", \"clients\" or \"client<i>\")");
  EXPECT_EQ(FaultError(R"({"partition": [["client3"], ["backup"]], "at_ms": 1})"),
            "x.json: faults[0].partition[0][0]: client 3 does not exist (clients: 3)");
  EXPECT_EQ(FaultError(R"({"partition": [["primary"], ["client99999999999"]], "at_ms": 1})"),
            "x.json: faults[0].partition[1][0]: client 99999999999 does not exist (clients: 3)");
}

TEST(ScenarioErrors, FirstFaultErrorIsReportedWithItsIndex) {
  EXPECT_EQ(Error(R"({"workload": {"ops_per_client": 1}, "faults": [
                  {"crash": "primary", "at_ms": 1}, {"crash": "backup", "at_ms": -1}]})"),
            "x.json: faults[1].at_ms: -1 ms is negative");
}

TEST(LoadScenario, MissingFile) {
  const absl::StatusOr<Scenario> s = LoadScenario("/nonexistent/dir/none.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(), "/nonexistent/dir/none.json: cannot read the file");
}

TEST(LoadScenario, Directory) {
  const std::string dir = ::testing::TempDir();
  const absl::StatusOr<Scenario> s = LoadScenario(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), dir + ": is a directory, not a scenario");
}

TEST(LoadScenario, ReadsAFileAndNamesItInErrors) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "scenario_test_load.json";
  {
    std::ofstream out(path);
    out << R"({"clients": 2, "steps": [{"wait_for": 4}]})";
  }
  const absl::StatusOr<Scenario> bad = LoadScenario(path.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            path.string() + ": steps[0].wait_for: client 4 does not exist (clients: 2)");
  {
    std::ofstream out(path);
    out << R"({"clients": 2, "steps": [{"wait_for": 1}]})";
  }
  const absl::StatusOr<Scenario> good = LoadScenario(path.string());
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->name, "scenario_test_load");
  EXPECT_EQ(good->file, path.string());
  std::filesystem::remove(path);
}

TEST(ScenarioErrors, KeyGivenTwiceIsAnErrorWithItsPath) {
  EXPECT_EQ(Error(R"({"clients": 2, "clients": 3, "steps": [{"sleep_ms": 1}]})"),
            "x.json: clients: key given twice in one object");
  EXPECT_EQ(
      Error(R"({"network": {"drop": {"reply": 0.1, "reply": 0.2}}, )" + std::string(kSteps) + "}"),
      "x.json: network.drop.reply: key given twice in one object");
  EXPECT_EQ(StepError(R"({"client": 1, "lock": "b", "lock": "c"})"),
            "x.json: steps[1].lock: key given twice in one object");
  EXPECT_EQ(FaultError(R"({"crash": "primary", "at_ms": 1, "at_ms": 2})"),
            "x.json: faults[0].at_ms: key given twice in one object");
  // The same key in different objects is fine.
  EXPECT_EQ(Error(R"({"clients": 2, "steps": [{"client": 0, "lock": "a"}, )"
                  R"({"client": 1, "lock": "a"}]})"),
            "parsed");
}

}  // namespace
}  // namespace locksim::scenario
