#include "pipeline/lake_sink.h"

#include <algorithm>
#include <exception>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "io/listing_digest.h"
#include "lake/lake_folder.h"
#include "lake/lake_reader.h"
#include "lake/lake_transaction.h"
#include "model/catalog.h"
#include "model/day_window.h"
#include "model/error.h"
#include "pipeline/lake_state.h"
#include "pipeline/lake_tables.h"
#include "quality/star_checks.h"
#include "transform/star_builder.h"
#include "warehouse/sql_text.h"

namespace sparkify::pipeline {
namespace {

// A play's natural key (user_id, session_id, item_in_session), NULLs equal.
struct PlayKey {
  int32_t user_id = 0;
  std::optional<int32_t> session_id;
  std::optional<int32_t> item_in_session;
  bool operator==(const PlayKey&) const = default;
};

struct PlayKeyHash {
  size_t operator()(const PlayKey& key) const {
    uint64_t packed = (uint64_t{static_cast<uint32_t>(key.session_id.value_or(-1))} << 32) |
                      static_cast<uint32_t>(key.item_in_session.value_or(-1));
    return std::hash<uint64_t>()(packed) ^ (std::hash<int32_t>()(key.user_id) * 0x9e3779b97f4a7c15ULL);
  }
};

std::string partition_folder(const std::optional<int64_t>& start_time_ms) {
  return lake::partition_path(start_time_partition(start_time_ms));
}

// A ledger after this load: `before` (taken; kept only when merging) with
// the files `read` recorded under `load_id` at `now`.
std::vector<LedgerEntry> ledger_after(std::vector<LedgerEntry>& before, const std::vector<io::FileEntry>& read,
                                      bool merging, const std::string& load_id, const std::string& now,
                                      const std::set<std::string>& partly_loaded) {
  // Every file read replaces its earlier row. One a backfill read in part (events
  // outside the window left out) is recorded as not whole, unless its row
  // said it was merged whole as it is now (its other days hold its events).
  std::map<std::string, LedgerEntry> ledger;
  if (merging) {
    for (auto& entry : before) ledger[entry.source] = std::move(entry);
  }
  for (const auto& file : read) {
    LedgerEntry entry{file.path, static_cast<int64_t>(file.size),    file.version, load_id,
                      now,       partly_loaded.count(file.path) == 0};
    auto found = ledger.find(file.path);
    if (!entry.whole && found != ledger.end() && found->second.whole && found->second.size == entry.size &&
        found->second.version == entry.version) {
      continue;
    }
    ledger[file.path] = std::move(entry);
  }
  std::vector<LedgerEntry> entries;
  entries.reserve(ledger.size());
  for (auto& [source, entry] : ledger) entries.push_back(std::move(entry));
  return entries;
}

}  // namespace

struct LakeSink::State {
  transform::StarBuilder star;
  std::unique_ptr<lake::LakeTransaction> transaction;
  // The songs and artists tables, written while the events stream in.
  std::future<void> song_tables;
  // Also counts the NextSong events with a user: no more plays than these
  // (a check).
  quality::MatchTally match;

  // Incremental loads (lake_state.h). kFull: every table from the sources
  // (the kept state, if any, is committed empty); kRebuild: the same, and
  // the state written anew; kMerge: the new files folded into the state,
  // and only the partitions they touch rewritten.
  enum class Mode { kFull, kRebuild, kMerge } mode = Mode::kFull;
  std::string load_id;
  bool checked = false;  // check() will want every table's rows
  bool state_present = false;
  // A backfill's merge: the kept rows inside the window are replaced by
  // those of its events, the only ones fed.
  std::optional<model::DayWindow> window;
  std::set<std::string> partly_loaded;        // files whose events outside the window were left out
  std::vector<LedgerEntry> event_ledger;      // the event files loaded before
  // The song files loaded before: read only when their listing changed.
  std::vector<LedgerEntry> song_ledger;
  SongListing song_listing;                   // the song files listed now
  std::vector<PlayMonth> play_months;         // what each kept plays partition holds
  SourceFiles planned;                        // the files this load takes
  std::vector<model::SongRecord> songs_kept;  // every song record the state will hold
  std::vector<PlayKey> new_keys;              // the keys of this load's plays (kMerge)
  // The songplays and time partition folders this load rewrites (kMerge).
  std::set<std::string> touched;
  // The NextSong events with a user by UTC day: kept (outside the window)
  // and fed by this load.
  std::map<std::optional<int64_t>, int64_t> next_song_events;
  // What each event shard saw of the above, added up by end_events().
  struct EventsSeen {
    std::vector<PlayKey> new_keys;
    std::set<std::string> touched;
    std::map<std::optional<int64_t>, int64_t> next_song_events;
  };
  std::vector<EventsSeen> seen = std::vector<EventsSeen>(1);
  // After a merge: what the rewritten tables hold beyond the builder's rows.
  int64_t plays_untouched = 0;
  int64_t times_untouched = 0;
  std::vector<std::string> tables;  // the folders this load commits

  bool merging() const { return mode == Mode::kMerge; }
  bool replaces(const std::optional<int64_t>& ts) const { return window && window->contains_ts(ts); }
  int64_t next_song_total() const {
    int64_t total = 0;
    for (const auto& [day, events] : next_song_events) total += events;
    return total;
  }
  bool new_songs() const { return !merging() || !planned.songs.empty(); }
  // A merge without new songs matches its plays against the kept songs
  // once they are all in, unless the checks want the song tables' rows.
  bool songs_after_events() const { return merging() && !new_songs() && !checked; }
};

LakeSink::LakeSink(std::shared_ptr<io::FileSystem> fs, LakeOptions options)
    : fs_(std::move(fs)), options_(std::move(options)), state_(std::make_unique<State>()) {
  if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
}

LakeSink::~LakeSink() { abort(); }

std::string LakeSink::name() const { return "lake " + options_.root; }

std::string LakeSink::state_dir() const { return io::join_path(options_.root, kLakeStateFolder); }

void LakeSink::begin(const LoadDescription& load) {
  const CommitOracle& oracle = load.oracle;
  auto decide = [&oracle](const lake::CommitJournal& journal) { return oracle(journal.decided_by, journal.load_id); };
  state_->transaction = std::make_unique<lake::LakeTransaction>(*fs_, options_.root, decide);
  state_->load_id = load.load_id;
  state_->checked = load.checked;
  state_->state_present = fs_->exists(state_dir());
}

IncrementalSources LakeSink::incremental_sources(const SourceFiles& files, const std::optional<Backfill>& backfill) {
  IncrementalSources chosen;
  std::string& note = chosen.note;
  State& state = *state_;
  LakeState kept(*fs_, state_dir());
  state.song_listing = {static_cast<int64_t>(files.songs.size()), io::listing_digest(files.songs)};
  // A state kept before play_months.parquet or song_listing.parquet.
  bool earlier_version = false;
  // The song files are most of the files and rarely new: listed as the
  // last load left them, none is new or changed, and their ledger is not read.
  bool songs_as_left = false;
  bool loaded_before_now = false;
  if (kept.present()) {
    auto months = kept.read_play_months();
    auto listing = kept.read_song_listing();
    earlier_version = !months || !listing;
    if (months) state.play_months = std::move(*months);
    state.event_ledger = kept.read_ledger(LedgerOf::kEventFiles);
    loaded_before_now = !state.event_ledger.empty();
    if (listing) {
      songs_as_left = listing->files == state.song_listing.files && listing->digest == state.song_listing.digest;
      loaded_before_now = loaded_before_now || listing->files > 0;
      if (!songs_as_left) state.song_ledger = kept.read_ledger(LedgerOf::kSongFiles);
      loaded_before_now = loaded_before_now || !state.song_ledger.empty();
    }
  }
  std::map<std::string_view, const LedgerEntry*> loaded;
  for (const auto* ledger : {&state.event_ledger, &state.song_ledger}) {
    for (const auto& entry : *ledger) loaded[entry.source] = &entry;
  }
  // A backfill's event files are read whatever the ledger says.
  std::set<std::string_view> read_again;
  if (backfill) {
    for (const auto& file : backfill->events) read_again.insert(file.path);
  }
  size_t changed = 0;
  size_t loaded_before = 0;
  SourceFiles fresh;
  auto take_new = [&](const std::vector<io::FileEntry>& listed, std::vector<io::FileEntry>& out) {
    for (const auto& file : listed) {
      if (read_again.count(file.path)) continue;
      auto found = loaded.find(file.path);
      if (found == loaded.end()) {
        out.push_back(file);
      } else if (found->second->size != static_cast<int64_t>(file.size) || found->second->version != file.version ||
                 !found->second->whole) {
        ++changed;
      } else {
        ++loaded_before;
      }
    }
  };
  if (songs_as_left) {
    loaded_before += files.songs.size();
  } else {
    take_new(files.songs, fresh.songs);
  }
  take_new(files.events, fresh.events);
  state.star.keep_user_days();
  if (!loaded_before_now || changed > 0 || earlier_version) {
    state.mode = State::Mode::kRebuild;
    state.planned = files;
    note = !loaded_before_now ? "incremental: nothing loaded before, so every file is loaded"
           : earlier_version  ? "incremental: the kept state is an earlier version's, so every file is loaded again"
                              : "incremental: " + std::to_string(changed) +
                                   " loaded file(s) changed since (or were loaded in part), so every file is "
                                   "loaded again";
    if (backfill) note += "; the backfill's window gives way to this rebuild";
    chosen.files = state.planned;
    return chosen;
  }
  state.mode = State::Mode::kMerge;
  size_t new_files = fresh.songs.size() + fresh.events.size();
  if (backfill) {
    // The window's days are replaced by what its event files hold now; new
    // files outside it wait for a run without one.
    state.window = backfill->window;
    size_t new_events = fresh.events.size();
    fresh.events = backfill->events;
    note = "backfill of " + backfill->window.describe() + ": " + std::to_string(fresh.events.size()) +
           " event file(s) dated inside the window or not dated read (" + std::to_string(new_events) +
           " of them new), " + std::to_string(fresh.songs.size()) + " new song file(s); " +
           std::to_string(loaded_before) + " other files loaded before";
    chosen.keeps_window = true;
  } else {
    note = "incremental: " + std::to_string(new_files) + " new files (" + std::to_string(fresh.songs.size()) +
           " song, " + std::to_string(fresh.events.size()) + " event), " + std::to_string(loaded_before) +
           " loaded before";
  }
  state.planned = std::move(fresh);
  chosen.files = state.planned;
  chosen.nothing_to_load = !state.window && chosen.files.songs.empty() && chosen.files.events.empty();
  return chosen;
}

void LakeSink::events_left_out(const std::vector<std::string>& sources) {
  state_->partly_loaded.insert(sources.begin(), sources.end());
}

std::string LakeSink::recovery_note() const {
  return state_->transaction ? state_->transaction->recovery_note() : std::string();
}

void LakeSink::write_songs(const std::vector<model::SongRecord>& songs) {
  take_songs(std::vector<model::SongRecord>(songs));
}

void LakeSink::take_songs(std::vector<model::SongRecord>&& songs) {
  state_->match.add_songs(songs);
  if (state_->mode != State::Mode::kFull) state_->songs_kept.insert(state_->songs_kept.end(), songs.begin(), songs.end());
  state_->star.add_songs(std::move(songs));
}
void LakeSink::end_songs() {
  State& state = *state_;
  if (state.songs_after_events()) {
    // songs and artists stay as they are, so only matching reads the songs
    // loaded before, after the events (match_kept_songs()): their keys,
    // not their records, and only those a play may match are indexed.
    state.match.songs_after_events();
    state.star.finish_songs_for_matching();
    return;
  }
  if (state.merging()) {
    // Every song loaded before takes part: in matching, and in the songs
    // and artists tables when new ones arrive (or the checks want their
    // rows).
    std::vector<model::SongRecord> kept = LakeState(*fs_, state_dir()).read_songs();
    state.match.add_songs(kept);
    if (state.new_songs()) state.songs_kept.insert(state.songs_kept.end(), kept.begin(), kept.end());
    state.star.add_kept_songs(std::move(kept));
  }
  if (!state.new_songs()) {
    state.star.finish_songs(options_.threads);
    return;
  }
  state_->star.finish_songs(options_.threads);
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
void LakeSink::write_events(const std::vector<model::EventRecord>& events) { write_event_shard(0, events); }

size_t LakeSink::event_shards(size_t readers) {
  // Every part of the events' state is per shard: the builder's plays and
  // users, the match figures, what a merge needs to know.
  State& state = *state_;
  size_t shards = state.star.set_event_shards(std::min(readers, options_.threads));
  state.match.set_event_parts(shards);
  state.seen.resize(shards);
  return shards;
}

void LakeSink::write_event_shard(size_t shard, const std::vector<model::EventRecord>& events) {
  State& state = *state_;
  state.match.add_events(shard, events);
  state.star.add_events(shard, events);
  if (state.mode == State::Mode::kFull) return;
  State::EventsSeen& seen = state.seen.at(shard);
  for (const auto& event : events) {
    if (!event.user_id || !event.page || *event.page != "NextSong") continue;
    ++seen.next_song_events[event.ts ? std::optional<int64_t>(model::day_of_ts(*event.ts)) : std::nullopt];
    if (!state.merging()) continue;
    seen.new_keys.push_back({*event.user_id, event.session_id, event.item_in_session});
    seen.touched.insert(partition_folder(event.ts));
  }
}

void LakeSink::match_kept_songs() {
  State& state = *state_;
  KeptSongKeys kept = LakeState(*fs_, state_dir()).read_song_keys();
  for (size_t row = 0; row < kept.size(); ++row) {
    model::SongKeys song = kept.at(row);
    state.match.add_song(song);
    state.star.add_song_keys(song);
  }
  state.star.set_song_table_rows(kept.distinct_song_ids(), kept.distinct_artist_ids());
  // The near misses of the most frequent unmatched pairs, now known.
  state.match.end_songs_after_events();
  for (size_t row = 0; row < kept.size(); ++row) state.match.add_song(kept.at(row));
}

void LakeSink::merge_kept_state() {
  State& state = *state_;
  LakeState kept(*fs_, state_dir());
  // The partitions to rewrite: those of the new plays, those holding an
  // earlier copy of one of their keys, and those a backfill's window
  // replaces plays of; every one when new songs arrive, which plays
  // anywhere may now match. What each month holds tells which months may
  // hold an earlier copy (their sessions' range takes one of the new
  // keys' sessions), so that only those months' keys are read.
  std::vector<int32_t> new_sessions;
  bool new_null_session = false;
  for (const auto& key : state.new_keys) {
    if (key.session_id) {
      new_sessions.push_back(*key.session_id);
    } else {
      new_null_session = true;
    }
  }
  std::sort(new_sessions.begin(), new_sessions.end());
  auto may_hold_a_new_key = [&](const PlayMonth& month) {
    if (month.null_sessions && new_null_session) return true;
    if (!month.first_session) return false;
    auto found = std::lower_bound(new_sessions.begin(), new_sessions.end(), *month.first_session);
    return found != new_sessions.end() && *found <= *month.last_session;
  };
  std::set<std::string> may_hold;
  int64_t largest_songplay_id = 0;
  for (const auto& month : state.play_months) {
    largest_songplay_id = std::max(largest_songplay_id, month.largest_songplay_id);
    bool in_window = state.window && month.first_ts &&
                     state.window->overlaps(model::day_of_ts(*month.first_ts), model::day_of_ts(*month.last_ts));
    if (state.new_songs() || in_window) {
      state.touched.insert(month.partition);
    } else if (!state.touched.count(month.partition) && may_hold_a_new_key(month)) {
      may_hold.insert(month.partition);
    }
  }
  if (!may_hold.empty()) {
    std::unordered_set<PlayKey, PlayKeyHash> fresh(state.new_keys.begin(), state.new_keys.end());
    KeptPlayKeys keys = kept.read_play_keys(&may_hold, options_.threads);
    for (const auto& key : keys.keys) {
      if (fresh.count(PlayKey{key.user_id, key.session_id, key.item_in_session})) {
        state.touched.insert(keys.partitions[key.partition]);
      }
    }
  }
  // The untouched months' plays and time rows, for the summary.
  for (const auto& month : state.play_months) {
    if (state.touched.count(month.partition)) continue;
    state.plays_untouched += month.plays;
    state.times_untouched += month.start_times;
  }
  if (!state.touched.empty()) {
    std::vector<transform::KeptPlay> plays = kept.read_plays(&state.touched, options_.threads);
    // The window's plays are replaced: their keys keep their ids if the
    // backfill's events hold them again.
    auto replaced = std::stable_partition(plays.begin(), plays.end(),
                                          [&state](const transform::KeptPlay& play) { return !state.replaces(play.ts); });
    state.star.add_replaced_play_ids(std::vector<transform::KeptPlay>(replaced, plays.end()));
    plays.erase(replaced, plays.end());
    state.star.add_kept_plays(plays);
  }
  state.star.number_new_plays_after(largest_songplay_id);
  std::vector<transform::KeptUserDay> days = kept.read_user_days();
  std::erase_if(days, [&state](const transform::KeptUserDay& day) { return state.replaces(day.ts); });
  state.star.add_kept_user_days(days);
  for (const auto& day : kept.read_next_song_events()) {
    if (day.day && state.window && state.window->contains_day(*day.day)) continue;
    state.next_song_events[day.day] += day.events;
  }
}

void LakeSink::write_kept_state() {
  State& state = *state_;
  const auto& parquet = options_.parquet;
  LakeState staged(*fs_, state_->transaction->staged_table_dir(kLakeStateFolder));
  LakeState live(*fs_, state_dir());
  std::vector<PlayMonth> months = staged.write_plays(state.star, parquet);
  if (state.merging()) {
    carry_over_partitions(*fs_, live.plays_dir(), staged.plays_dir(), state.touched);
    for (const auto& month : state.play_months) {
      if (!state.touched.count(month.partition)) months.push_back(month);
    }
    std::sort(months.begin(), months.end(),
              [](const PlayMonth& a, const PlayMonth& b) { return a.partition < b.partition; });
  }
  staged.write_play_months(months, parquet);
  staged.write_user_days(state.star.user_days(), parquet);
  std::vector<NextSongDay> next_song_days;
  for (const auto& [day, events] : state.next_song_events) next_song_days.push_back({day, events});
  staged.write_next_song_events(next_song_days, parquet);
  std::string now = warehouse::utc_now_text();
  if (state.new_songs()) {
    staged.write_songs(state.songs_kept, parquet);
    staged.write_ledger(
        LedgerOf::kSongFiles,
        ledger_after(state.song_ledger, state.planned.songs, state.merging(), state.load_id, now, state.partly_loaded),
        parquet);
  } else {
    staged.copy_songs_from(live);
  }
  staged.write_song_listing(state.song_listing, parquet);
  staged.write_ledger(
      LedgerOf::kEventFiles,
      ledger_after(state.event_ledger, state.planned.events, state.merging(), state.load_id, now, state.partly_loaded),
      parquet);
}

std::optional<quality::MatchDiagnostics> LakeSink::match_diagnostics() { return state_->match.result(); }

void LakeSink::end_events() {
  State& state = *state_;
  state.match.end_events();
  for (auto& seen : state.seen) {
    for (const auto& [day, events] : seen.next_song_events) state.next_song_events[day] += events;
    state.new_keys.insert(state.new_keys.end(), seen.new_keys.begin(), seen.new_keys.end());
    state.touched.merge(seen.touched);
  }
  state.seen.assign(1, {});
}

model::TableCounts LakeSink::prepare(RunSummary& summary) {
  if (state_->merging()) {
    PhaseTimer timer(summary, "lake merge");
    merge_kept_state();
    if (state_->songs_after_events()) match_kept_songs();
  }
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
    if (state_->merging()) {
      // The months this load did not touch, as they are.
      for (const char* table : {"songplays", "time"}) {
        carry_over_partitions(fs, io::join_path(options_.root, table), transaction.staged_table_dir(table),
                              state_->touched);
      }
    }
    if (state_->mode != State::Mode::kFull) write_kept_state();
  } catch (...) {
    error = std::current_exception();
  }
  try {
    if (state_->song_tables.valid()) state_->song_tables.get();
  } catch (...) {
    if (!error) error = std::current_exception();
  }
  if (error) std::rethrow_exception(error);
  state_->tables = state_->new_songs() ? lake::lake_table_names()
                                       : std::vector<std::string>{"songplays", "time", "users"};
  if (state_->mode != State::Mode::kFull || state_->state_present) state_->tables.push_back(kLakeStateFolder);
  model::TableCounts counts = star.counts();
  counts.songplays += state_->plays_untouched;
  counts.time += state_->times_untouched;
  return counts;
}

std::vector<quality::CheckResult> LakeSink::check(const std::vector<quality::Check>& checks) {
  // The rows just staged are the builder's: check them without reading the
  // files back; after a merge, with the rows of the months left as they are.
  model::StarSchema star = state_->star.to_star_schema();
  if (state_->merging() && state_->plays_untouched > 0) {
    for (auto& row : lake::read_songplays(*fs_, options_.root)) {
      if (!state_->touched.count(partition_folder(row.start_time_ms))) star.songplays.push_back(std::move(row));
    }
    for (auto& row : lake::read_time(*fs_, options_.root)) {
      if (!state_->touched.count(partition_folder(row.start_time_ms))) star.time.push_back(std::move(row));
    }
  }
  int64_t next_song_events = state_->mode == State::Mode::kFull ? state_->match.next_song_events()
                                                                   : state_->next_song_total();
  return quality::run_star_checks(checks, star, next_song_events);
}

void LakeSink::intend_commit(const LoadTicket& ticket) {
  state_->transaction->intend_commit(state_->tables, ticket.id, ticket.decided_by);
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

void LakeSink::rehearse(const LoadDescription& load, std::ostream& out) {
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
  if (load.incremental) {
    out << "-- incremental: loads the files " << io::join_path(state_dir(), "files.parquet")
        << " lacks, folds them into the state kept there, and rewrites only the songplays and time months they "
           "touch (songs and artists only when new song files arrive), users, and the state\n";
    if (load.backfill) {
      out << "-- backfill: the kept plays, user days and NextSong counts inside the window are replaced by those "
             "of the window's events; a replaced play's key keeps its songplay_id if it comes again\n";
    }
  }
}

}  // namespace sparkify::pipeline
