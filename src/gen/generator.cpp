#include "gen/generator.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "model/error.h"

namespace sparkify::gen {
namespace {

// splitmix64: a tiny, good, seedable generator; each file gets its own
// stream derived from (seed, kind, index), which is what makes the output
// independent of the thread count.
class Random {
 public:
  Random(uint64_t seed, uint64_t kind, uint64_t index) : state_(mix(seed ^ mix(kind * 0x9e37 + mix(index)))) {}
  uint64_t next() { return mix(state_ += 0x9e3779b97f4a7c15ULL); }
  uint64_t below(uint64_t bound) { return bound ? next() % bound : 0; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double probability) { return unit() < probability; }
  template <typename T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

enum Stream : uint64_t { kSongStream = 1, kArtistStream, kUserStream, kDayStream };

constexpr const char* kWords[] = {
    "Love",  "Night", "Fire",  "Heart", "Dream", "Rain",   "Summer", "Blue",   "Road",   "Dance",
    "Gold",  "River", "Light", "Ghost", "Storm", "Sunday", "Wild",   "Silver", "Home",   "Angel",
    "Time",  "City",  "Moon",  "Shadow", "Ocean", "Stone", "Midnight", "Paper", "Glass", "Echo",
    "Café",  "Señor", "Über",  "Naïve", "Jalapeño", "Fête", "Smörgås", "Déjà vu", "Łódź", "Ça va"};
constexpr const char* kFirstNames[] = {"Walter", "Kaylee", "Lily",   "Jacob",  "Ryan",   "Chloe",  "Tegan",
                                       "Aleena", "Jayden", "Mohammad", "Sara", "Ava",    "Kinsley", "Layla",
                                       "Matthew", "Jordan", "Cecilia", "Emily", "Rylan",  "Harper"};
constexpr const char* kLastNames[] = {"Frye",   "Summers", "Koch",  "Klein",  "Smith", "Cruz",  "Levine",
                                      "Kirby",  "Bell",    "Rodriguez", "Johnson", "Owens", "Young", "Williams",
                                      "Jones",  "Hoffman", "Lynch", "Graves", "Chang", "O'Neil"};
constexpr const char* kUserLocations[] = {
    "San Francisco-Oakland-Hayward, CA", "Phoenix-Mesa-Scottsdale, AZ", "Chicago-Naperville-Elgin, IL-IN-WI",
    "Atlanta-Sandy Springs-Roswell, GA", "New York-Newark-Jersey City, NY-NJ-PA", "Birmingham-Hoover, AL",
    "Lansing-East Lansing, MI", "Portland-South Portland, ME", "Tampa-St. Petersburg-Clearwater, FL",
    "Waterloo-Cedar Falls, IA"};
constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 "
    "Chrome/36.0.1985.125 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0",
    "\"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) "
    "Version/7.0 Mobile/11D257 Safari/9537.53\"",
    "Mozilla/5.0 (Windows NT 6.3; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0"};
constexpr const char* kArtistLocations[] = {"", "", "", "California - LA", "London, England", "New York, NY",
                                            "Dubai UAE", "Hamburg, Germany", "Texas", "Montréal, Québec",
                                            "Detroit, MI", "Kingston, Jamaica"};
constexpr const char* kOtherPages[] = {"Home", "Home", "Home", "Settings", "Help", "About", "Logout",
                                       "Downgrade", "Upgrade", "Save Settings", "Error"};

// 2018-11-01 00:00:00 UTC in epoch milliseconds.
constexpr int64_t kFirstDayMs = 1541030400000LL;
constexpr int64_t kDayMs = 86400000LL;

std::string upper_id(Random& random, const char* prefix, size_t length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id = prefix;
  while (id.size() < length) id += kAlphabet[random.below(36)];
  return id;
}

struct Artist {
  std::string id;
  std::string name;
  std::string location;
  bool has_coordinates = false;
  double latitude = 0;
  double longitude = 0;
};

Artist artist_of(uint64_t seed, int64_t artist_idx) {
  Random random(seed, kArtistStream, static_cast<uint64_t>(artist_idx));
  Artist artist;
  artist.id = upper_id(random, "AR", 18);
  artist.name = std::string(random.pick(kWords)) + " " + random.pick(kWords);
  if (random.chance(0.05)) artist.name += " feat. \"MC\" \\ Slash";
  artist.location = random.pick(kArtistLocations);
  artist.has_coordinates = random.chance(0.4);
  artist.latitude = std::round((random.unit() * 140 - 70) * 1e5) / 1e5;
  artist.longitude = std::round((random.unit() * 340 - 170) * 1e5) / 1e5;
  return artist;
}

struct Song {
  std::string track_id;
  std::string song_id;
  std::string title;
  int64_t artist_idx = 0;
  double duration = 0;
  int year = 0;
};

int64_t artist_count(int64_t songs) { return std::max<int64_t>(1, songs / 4); }

// Song `song_idx`, computed from the seed alone, so the event writer can
// name any song without keeping the list.
Song song_of(uint64_t seed, int64_t songs, int64_t song_idx) {
  Random random(seed, kSongStream, static_cast<uint64_t>(song_idx));
  Song song;
  song.track_id = "TR";
  song.track_id += static_cast<char>('A' + random.below(3));
  song.track_id += static_cast<char>('A' + random.below(26));
  song.track_id += static_cast<char>('A' + random.below(26));
  song.track_id = upper_id(random, song.track_id.c_str(), 18);
  song.song_id = upper_id(random, "SO", 18);
  song.artist_idx = static_cast<int64_t>(random.below(static_cast<uint64_t>(artist_count(songs))));
  song.title = std::string(random.pick(kWords)) + " " + random.pick(kWords);
  if (random.chance(0.3)) song.title += std::string(" ") + random.pick(kWords);
  song.duration = std::round((30 + random.unit() * 570) * 1e5) / 1e5;
  song.year = random.chance(0.4) ? 0 : static_cast<int>(1960 + random.below(50));
  // Every 50th song is a second take of its predecessor: same title and
  // artist, another duration, so matching needs the length too.
  if (song_idx % 50 == 1) {
    Song previous = song_of(seed, songs, song_idx - 1);
    song.title = previous.title;
    song.artist_idx = previous.artist_idx;
  }
  return song;
}

// JSON string escaping as the source data does it (it also escapes '/').
void append_json_string(std::string& out, std::string_view text, bool escape_slash) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '/':
        if (escape_slash) out += '\\';
        out += '/';
        break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += static_cast<char>(c);
    }
  }
  out += '"';
}

// The shortest decimal that reads back as the same double, as the source's
// writer prints them.
void append_double(std::string& out, double value) {
  char buffer[32];
  int length = std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  for (int precision = 1; precision <= 17; ++precision) {
    length = std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  out.append(buffer, static_cast<size_t>(length));
}

void write_whole_file(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError("cannot create " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t written = ::write(fd, content.data() + done, content.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      throw IoError("cannot write " + path + ": " + std::strerror(error));
    }
    done += static_cast<size_t>(written);
  }
  if (::close(fd) != 0) throw IoError("cannot write " + path + ": " + std::strerror(errno));
}

void make_dirs(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) throw IoError("cannot create folder " + path + ": " + error.message());
}

std::string song_json(const Song& song, const Artist& artist) {
  std::string out = "{\"num_songs\": 1, \"artist_id\": ";
  append_json_string(out, artist.id, false);
  out += ", \"artist_latitude\": ";
  if (artist.has_coordinates) {
    append_double(out, artist.latitude);
  } else {
    out += "null";
  }
  out += ", \"artist_longitude\": ";
  if (artist.has_coordinates) {
    append_double(out, artist.longitude);
  } else {
    out += "null";
  }
  out += ", \"artist_location\": ";
  append_json_string(out, artist.location, false);
  out += ", \"artist_name\": ";
  append_json_string(out, artist.name, false);
  out += ", \"song_id\": ";
  append_json_string(out, song.song_id, false);
  out += ", \"title\": ";
  append_json_string(out, song.title, false);
  out += ", \"duration\": ";
  append_double(out, song.duration);
  out += ", \"year\": " + std::to_string(song.year) + "}";
  return out;
}

struct User {
  int id = 0;
  const char* first_name = "";
  const char* last_name = "";
  const char* gender = "";
  const char* location = "";
  const char* user_agent = "";
  int64_t registration_ms = 0;
  bool starts_paid = false;
  int change_day = -1;  // level flips from this day on
  int back_day = -1;    // and flips back from this day on
};

User user_of(uint64_t seed, int user_id, int days) {
  Random random(seed, kUserStream, static_cast<uint64_t>(user_id));
  User user;
  user.id = user_id;
  user.first_name = random.pick(kFirstNames);
  user.last_name = random.pick(kLastNames);
  user.gender = random.chance(0.5) ? "F" : "M";
  user.location = random.pick(kUserLocations);
  user.user_agent = random.pick(kUserAgents);
  user.registration_ms = kFirstDayMs - static_cast<int64_t>(random.below(200)) * kDayMs +
                         static_cast<int64_t>(random.below(static_cast<uint64_t>(kDayMs)));
  user.starts_paid = random.chance(0.2);
  if (random.chance(0.25)) user.change_day = static_cast<int>(random.below(static_cast<uint64_t>(days)));
  if (user.change_day >= 0 && random.chance(0.3)) {
    user.back_day = user.change_day + 1 + static_cast<int>(random.below(static_cast<uint64_t>(days)));
  }
  return user;
}

bool paid_on(const User& user, int day) {
  bool paid = user.starts_paid;
  if (user.change_day >= 0 && day >= user.change_day) paid = !paid;
  if (user.back_day >= 0 && day >= user.back_day) paid = !paid;
  return paid;
}

struct Event {
  int64_t ts = 0;
  int32_t session_id = 0;
  int32_t item = 0;
  int user_idx = -1;  // -1: logged out
  const char* page = "Home";
  const char* method = "GET";
  int status = 200;
  bool paid = false;
  // NextSong only
  bool has_song = false;
  std::string song;
  std::string artist;
  double length = 0;
};

struct DayCounts {
  int64_t events = 0;
  int64_t next_song = 0;
  int64_t matched = 0;
  uint64_t bytes = 0;
};

DayCounts write_day(const GenerateOptions& options, const std::vector<User>& users, int day, int64_t day_events,
                    const std::string& log_dir) {
  Random random(options.seed, kDayStream, static_cast<uint64_t>(day));
  std::vector<Event> events;
  events.reserve(static_cast<size_t>(day_events));
  int32_t session_base = day * 100000;
  int32_t session_count = 0;
  DayCounts counts;
  while (static_cast<int64_t>(events.size()) < day_events) {
    int32_t session_id = session_base + ++session_count;
    bool logged_out = random.chance(0.03);
    int user_idx = logged_out ? -1 : static_cast<int>(random.below(users.size()));
    int64_t length = logged_out ? 1 + static_cast<int64_t>(random.below(3)) : 1 + static_cast<int64_t>(random.below(60));
    length = std::min<int64_t>(length, day_events - static_cast<int64_t>(events.size()));
    // Items are at most 300 s apart: start early enough to end the same day.
    int64_t latest_start = kDayMs - length * 300000 - 1000;
    int64_t ts = kFirstDayMs + day * kDayMs + static_cast<int64_t>(random.below(static_cast<uint64_t>(latest_start)));
    ts = ts / 1000 * 1000 + 796;  // the source's timestamps end in 796 ms
    bool paid = user_idx >= 0 && paid_on(users[static_cast<size_t>(user_idx)], day);
    for (int32_t item = 0; item < length; ++item) {
      Event event;
      event.ts = ts;
      event.session_id = session_id;
      event.item = item;
      event.user_idx = user_idx;
      event.paid = paid;
      if (logged_out) {
        bool login = random.chance(0.5);
        event.page = login ? "Login" : "Home";
        event.method = login ? "PUT" : "GET";
        event.status = login ? 307 : 200;
      } else if (random.chance(0.85)) {
        event.page = "NextSong";
        event.method = "PUT";
        event.has_song = true;
        ++counts.next_song;
        if (options.songs > 0 && random.chance(options.match_rate)) {
          Song song = song_of(options.seed, options.songs, static_cast<int64_t>(random.below(static_cast<uint64_t>(options.songs))));
          event.song = song.title;
          event.artist = artist_of(options.seed, song.artist_idx).name;
          event.length = song.duration;
          ++counts.matched;
        } else {
          // Titles no generated song has: a word pair with a suffix.
          event.song = std::string(random.pick(kWords)) + " (Live at " + random.pick(kWords) + ")";
          event.artist = std::string(random.pick(kFirstNames)) + " and the " + random.pick(kWords) + "s";
          event.length = std::round((60 + random.unit() * 400) * 1e5) / 1e5;
        }
      } else {
        event.page = random.pick(kOtherPages);
        event.method = std::strcmp(event.page, "Home") == 0 || std::strcmp(event.page, "Help") == 0 ? "GET" : "PUT";
        event.status = std::strcmp(event.page, "Error") == 0 ? 404 : 200;
      }
      events.push_back(std::move(event));
      ts += 1000 * (1 + static_cast<int64_t>(random.below(300)));
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.ts < b.ts; });

  std::string out;
  out.reserve(events.size() * 400);
  for (const Event& event : events) {
    const User* user = event.user_idx >= 0 ? &users[static_cast<size_t>(event.user_idx)] : nullptr;
    out += "{\"artist\":";
    if (event.has_song) {
      append_json_string(out, event.artist, true);
    } else {
      out += "null";
    }
    out += user ? ",\"auth\":\"Logged In\",\"firstName\":" : ",\"auth\":\"Logged Out\",\"firstName\":";
    if (user) {
      append_json_string(out, user->first_name, true);
    } else {
      out += "null";
    }
    out += ",\"gender\":";
    out += user ? (std::string("\"") + user->gender + "\"") : "null";
    out += ",\"itemInSession\":" + std::to_string(event.item) + ",\"lastName\":";
    if (user) {
      append_json_string(out, user->last_name, true);
    } else {
      out += "null";
    }
    out += ",\"length\":";
    if (event.has_song) {
      append_double(out, event.length);
    } else {
      out += "null";
    }
    out += event.paid ? ",\"level\":\"paid\"" : ",\"level\":\"free\"";
    out += ",\"location\":";
    if (user) {
      append_json_string(out, user->location, true);
    } else {
      out += "null";
    }
    out += ",\"method\":\"";
    out += event.method;
    out += "\",\"page\":\"";
    out += event.page;
    out += "\",\"registration\":";
    out += user ? std::to_string(user->registration_ms) + ".0" : "null";
    out += ",\"sessionId\":" + std::to_string(event.session_id) + ",\"song\":";
    if (event.has_song) {
      append_json_string(out, event.song, true);
    } else {
      out += "null";
    }
    out += ",\"status\":" + std::to_string(event.status) + ",\"ts\":" + std::to_string(event.ts) + ",\"userAgent\":";
    if (user) {
      append_json_string(out, user->user_agent, true);
    } else {
      out += "null";
    }
    out += ",\"userId\":\"";
    if (user) out += std::to_string(user->id);
    out += "\"}\n";
  }

  using namespace std::chrono;
  year_month_day date{floor<days>(sys_time<milliseconds>{milliseconds{kFirstDayMs + day * kDayMs}})};
  char folder[32];
  char name[48];
  std::snprintf(folder, sizeof(folder), "%04d/%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()));
  std::snprintf(name, sizeof(name), "%04d-%02u-%02u-events.json", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  std::string dir = log_dir + "/" + folder;
  make_dirs(dir);
  write_whole_file(dir + "/" + name, out);
  counts.events = static_cast<int64_t>(events.size());
  counts.bytes = out.size();
  return counts;
}

// Runs task(index) for index in [0, count) on `threads` threads; rethrows
// the first failure.
template <typename Task>
void parallel_for(int64_t count, int threads, Task task) {
  std::atomic<int64_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (int64_t index; (index = next.fetch_add(1)) < count;) {
      try {
        task(index);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = count;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int thread_idx = 1; thread_idx < threads; ++thread_idx) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

GenerateSummary generate(const GenerateOptions& options) {
  if (options.out_dir.empty()) throw UsageError("generate needs --out DIR");
  if (options.songs < 0 || options.events < 0) throw UsageError("--songs and --events must be 0 or more");
  if (options.match_rate < 0 || options.match_rate > 1) throw UsageError("--match-rate must be between 0 and 1");
  if (options.days < 1 || options.days > 3650) throw UsageError("--days must be between 1 and 3650");
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  GenerateSummary summary;
  std::string song_dir = options.out_dir + "/song_data";
  std::string log_dir = options.out_dir + "/log_data";
  make_dirs(song_dir);
  make_dirs(log_dir);

  // Songs, in chunks so each thread reuses its folder cache.
  constexpr int64_t kChunk = 1024;
  std::atomic<uint64_t> song_bytes{0};
  parallel_for((options.songs + kChunk - 1) / kChunk, threads, [&](int64_t chunk_idx) {
    std::string made_folder;
    uint64_t bytes = 0;
    int64_t end = std::min(options.songs, (chunk_idx + 1) * kChunk);
    for (int64_t song_idx = chunk_idx * kChunk; song_idx < end; ++song_idx) {
      Song song = song_of(options.seed, options.songs, song_idx);
      std::string folder = song_dir + "/" + song.track_id[2] + "/" + song.track_id[3] + "/" + song.track_id[4];
      if (folder != made_folder) {
        make_dirs(folder);
        made_folder = folder;
      }
      std::string json = song_json(song, artist_of(options.seed, song.artist_idx));
      write_whole_file(folder + "/" + song.track_id + ".json", json);
      bytes += json.size();
    }
    song_bytes += bytes;
  });
  summary.song_files = options.songs;

  // Users: about one per 80 events, as in the real data, at most 10,000.
  int user_count = static_cast<int>(std::clamp<int64_t>(options.events / 80, 10, 10000));
  std::vector<User> users;
  users.reserve(static_cast<size_t>(user_count));
  for (int user_id = 1; user_id <= user_count; ++user_id) users.push_back(user_of(options.seed, user_id, options.days));

  std::vector<DayCounts> days(static_cast<size_t>(options.days));
  int64_t per_day = options.events / options.days;
  int64_t extra = options.events % options.days;
  parallel_for(options.days, threads, [&](int64_t day) {
    int64_t day_events = per_day + (day < extra ? 1 : 0);
    if (day_events > 0) days[static_cast<size_t>(day)] = write_day(options, users, static_cast<int>(day), day_events, log_dir);
  });
  for (const auto& day : days) {
    if (day.events > 0) ++summary.event_files;
    summary.events += day.events;
    summary.next_song_events += day.next_song;
    summary.matched_events += day.matched;
    summary.bytes += day.bytes;
  }
  summary.bytes += song_bytes;
  summary.users = user_count;
  return summary;
}

}  // namespace sparkify::gen
