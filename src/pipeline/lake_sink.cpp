#include "pipeline/lake_sink.h"

#include <exception>
#include <future>
#include <thread>

#include "lake/lake_folder.h"
#include "lake/lake_transaction.h"
#include "model/catalog.h"
#include "quality/star_checks.h"
#include "pipeline/lake_tables.h"
#include "transform/star_builder.h"

namespace sparkify::pipeline {

struct LakeSink::State {
  transform::StarBuilder star;
  std::unique_ptr<lake::LakeTransaction> transaction;
  // The songs and artists tables, written while the events stream in.
  std::future<void> song_tables;
  // Also counts the NextSong events with a user: no more plays than these
  // (a check).
  quality::MatchTally match;
};

LakeSink::LakeSink(std::shared_ptr<io::FileSystem> fs, LakeOptions options)
    : fs_(std::move(fs)), options_(std::move(options)), state_(std::make_unique<State>()) {
  if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
}

LakeSink::~LakeSink() { abort(); }

std::string LakeSink::name() const { return "lake " + options_.root; }

void LakeSink::begin(const LoadDescription& load) {
  const CommitOracle& oracle = load.oracle;
  auto decide = [&oracle](const lake::CommitJournal& journal) { return oracle(journal.decided_by, journal.load_id); };
  state_->transaction = std::make_unique<lake::LakeTransaction>(*fs_, options_.root, decide);
}

std::string LakeSink::recovery_note() const {
  return state_->transaction ? state_->transaction->recovery_note() : std::string();
}

void LakeSink::write_songs(const std::vector<model::SongRecord>& songs) {
  state_->match.add_songs(songs);
  state_->star.add_songs(songs);
}
void LakeSink::end_songs() {
  state_->star.finish_songs();
  // songs and artists are final once the songs are in, and songs is the
  // lake's slowest table (a partition file per artist and year, bound by
  // the file system's file creation more than by the CPU): it is written
  // now, beside the events' extract, rather than after it. The builder
  // leaves songs() and artists() untouched from here on.
  const auto& star = state_->star;
  const auto& transaction = *state_->transaction;
  io::FileSystem& fs = *fs_;
  size_t song_threads = options_.threads > 1 ? options_.threads - 1 : 1;
  state_->song_tables = std::async(std::launch::async, [&star, &transaction, &fs, this, song_threads] {
    write_songs_table(star, fs, transaction.staged_table_dir("songs"), options_.parquet, song_threads);
    write_artists_table(star, fs, transaction.staged_table_dir("artists"), options_.parquet);
  });
}
void LakeSink::write_events(const std::vector<model::EventRecord>& events) {
  state_->match.add_events(events);
  state_->star.add_events(events);
}

std::optional<quality::MatchDiagnostics> LakeSink::match_diagnostics() { return state_->match.result(); }

void LakeSink::end_events() {}

model::TableCounts LakeSink::prepare(RunSummary& summary) {
  {
    PhaseTimer timer(summary, "lake build");
    state_->star.finish();
  }
  PhaseTimer timer(summary, "lake write");
  const auto& star = state_->star;
  const auto& transaction = *state_->transaction;
  const auto& parquet = options_.parquet;
  io::FileSystem& fs = *fs_;
  std::exception_ptr error;
  try {
    write_songplays_table(star, fs, transaction.staged_table_dir("songplays"), parquet);
    write_time_table(star, fs, transaction.staged_table_dir("time"), parquet);
    write_users_table(star, fs, transaction.staged_table_dir("users"), parquet);
  } catch (...) {
    error = std::current_exception();
  }
  try {
    if (state_->song_tables.valid()) state_->song_tables.get();
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  if (error) std::rethrow_exception(error);
  return star.counts();
}

std::vector<quality::CheckResult> LakeSink::check(const std::vector<quality::Check>& checks) {
  // The rows just staged are the builder's: check them without reading the
  // files back.
  return quality::run_star_checks(checks, state_->star.to_star_schema(), state_->match.next_song_events());
}

void LakeSink::intend_commit(const LoadTicket& ticket) {
  state_->transaction->intend_commit(lake::lake_table_names(), ticket.id, ticket.decided_by);
}

void LakeSink::commit(const LoadTicket&, RunSummary& summary) {
  PhaseTimer timer(summary, "lake commit");
  state_->transaction->finish_commit();
}

void LakeSink::abort() noexcept {
  if (!state_) return;
  // The song tables' writer must be done before its staging folder goes.
  if (state_->song_tables.valid()) state_->song_tables.wait();
  if (state_->transaction) state_->transaction->abort();
}

void LakeSink::abort_undecided() noexcept {
  if (!state_) return;
  if (state_->song_tables.valid()) state_->song_tables.wait();
  // The journal and staging stay: the next run asks the warehouse.
  if (state_->transaction) state_->transaction->leave_undecided();
}

void LakeSink::rehearse(const LoadDescription&, std::ostream& out) {
  out << "-- " << name() << ": the star schema built in process, each table written as Parquet under a "
      << "staging folder in the lake, then put in place with its _SUCCESS:\n";
  for (const auto& table : model::star_tables()) {
    out << "--   " << io::join_path(options_.root, table.name) << "/";
    if (!table.partition_columns.empty()) {
      out << " partitioned by";
      for (const auto& column : table.partition_columns) out << " " << column;
    }
    out << "\n";
  }
}

}  // namespace sparkify::pipeline
