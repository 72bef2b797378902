// The sparkify binary: exit statuses, help, and secrets kept out of output.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "test_support.h"

namespace sparkify::cli {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

using Outcome = testing::CliOutcome;
Outcome run_cli(const std::string& arguments) { return testing::run_sparkify(arguments); }

TEST(Cli, HelpOnEverySubcommand) {
  for (const char* sub : {"", "create-tables ", "etl ", "generate "}) {
    Outcome outcome = run_cli(std::string(sub) + "--help");
    EXPECT_EQ(outcome.status, 0) << sub;
    EXPECT_NE(outcome.output.find("--"), std::string::npos) << sub;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli("").status, 2);
  EXPECT_EQ(run_cli("frobnicate").status, 2);
  EXPECT_EQ(run_cli("etl --no-such-flag").status, 2);
  Outcome missing = run_cli("etl --lake /tmp/x");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("--song-data"), std::string::npos) << missing.output;
  EXPECT_EQ(run_cli("etl --song-data a --log-data b --compression lz4").status, 2);
  EXPECT_EQ(run_cli("etl --song-data a --log-data b --s3-connections -1").status, 2);
  EXPECT_EQ(run_cli("etl --song-data a --log-data b --s3-max-attempts -2").status, 2);
  EXPECT_EQ(run_cli("etl --song-data a --log-data b --s3-connections 0").status, 2);
  EXPECT_EQ(run_cli("etl --song-data a --log-data b --s3-max-attempts 0").status, 2);
  EXPECT_EQ(run_cli("create-tables").status, 2) << "no target anywhere";
}

TEST(Cli, AMissingInputPathExitsTwoBeforeAnyWork) {
  TempDir dir;
  write_text(dir / "logs/a.json", "{\"ts\":1}\n");
  Outcome outcome = run_cli("etl --song-data " + (dir / "none") + " --log-data " + (dir / "logs") + " --lake " +
                            (dir / "lake") + " --rejects " + (dir / "rejects.ndjson"));
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.output.find(dir / "none"), std::string::npos) << outcome.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "lake"));
}

TEST(Cli, DataFailuresExitOne) {
  TempDir dir;
  write_text(dir / "songs/a.json", "{\"song_id\":\"S1\"}\n");
  write_text(dir / "logs/a.json", "{\"ts\":1}\n{\"ts\":\n");
  Outcome outcome = run_cli("etl --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --lake " +
                            (dir / "lake") + " --rejects " + (dir / "rejects.ndjson") + " --max-errors 0");
  EXPECT_EQ(outcome.status, 1);
  EXPECT_NE(outcome.output.find(dir / "logs/a.json:2"), std::string::npos) << outcome.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "lake/songplays"));
}

TEST(Cli, PasswordsNeverAppear) {
  TempDir dir;
  write_text(dir / "dwh.cfg",
             "[CLUSTER]\nHOST=127.0.0.1\nDB_NAME=dwh\nDB_USER=etl\nDB_PASSWORD=Sup3rS3cret!\nDB_PORT=1\n"
             "[S3]\nSONG_DATA='" + (dir / "songs") + "'\nLOG_DATA='" + (dir / "logs") + "'\n");
  write_text(dir / "songs/a.json", "{\"song_id\":\"S\"}\n");
  write_text(dir / "logs/a.json", "{\"ts\":1}\n");
  Outcome outcome = run_cli("etl --config " + (dir / "dwh.cfg"));
  EXPECT_EQ(outcome.status, 1);
  EXPECT_NE(outcome.output.find("127.0.0.1"), std::string::npos) << outcome.output;
  EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
  Outcome uri = run_cli("create-tables --target 'postgresql://etl:Sup3rS3cret@127.0.0.1:1/dwh'");
  EXPECT_EQ(uri.status, 1);
  EXPECT_EQ(uri.output.find("Sup3rS3cret"), std::string::npos) << uri.output;
}

TEST(Cli, AnUnknownTargetSchemeExitsTwoNamingTheAcceptedForms) {
  TempDir dir;
  write_text(dir / "songs/a.json", "{\"song_id\":\"S1\"}\n");
  write_text(dir / "logs/a.json", "{\"ts\":1}\n");
  for (const std::string& command :
       {"etl --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --target ",
        std::string("create-tables --target ")}) {
    Outcome outcome = run_cli(command + "'mysql://etl:Sup3rS3cret@127.0.0.1:1/dwh'");
    EXPECT_EQ(outcome.status, 2) << outcome.output;
    EXPECT_NE(outcome.output.find("postgresql://"), std::string::npos) << outcome.output;
    EXPECT_NE(outcome.output.find("keyword=value"), std::string::npos) << outcome.output;
    EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
  }
}

TEST(Cli, AConfigThatIsAFolderOrCannotBeReadExitsTwo) {
  TempDir dir;
  write_text(dir / "songs/a.json", "{\"song_id\":\"S1\"}\n");
  write_text(dir / "logs/a.json", "{\"ts\":1}\n");
  std::string sources =
      " --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --lake " + (dir / "lake");
  Outcome folder = run_cli("etl --config " + dir.str() + sources);
  EXPECT_EQ(folder.status, 2) << folder.output;
  EXPECT_NE(folder.output.find(dir.str() + " is a folder, not a file"), std::string::npos) << folder.output;
  Outcome missing = run_cli("etl --config " + (dir / "missing.cfg") + sources);
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find(dir / "missing.cfg"), std::string::npos) << missing.output;
  EXPECT_EQ(run_cli("create-tables --config " + dir.str()).status, 2);
}

TEST(Cli, AClusterSectionWithoutItsDatabaseExitsTwo) {
  TempDir dir;
  write_text(dir / "dwh.cfg", "[CLUSTER]\nHOST=127.0.0.1\nDB_USER=etl\nDB_PASSWORD=Sup3rS3cret\nDB_PORT=1\n");
  for (const char* command : {"create-tables", "etl"}) {
    Outcome outcome = run_cli(std::string(command) + " --config " + (dir / "dwh.cfg"));
    EXPECT_EQ(outcome.status, 2) << outcome.output;
    EXPECT_NE(outcome.output.find("DB_NAME"), std::string::npos) << outcome.output;
    EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
  }
}

TEST(Cli, TheS3EndpointsPasswordNeverAppears) {
  TempDir dir;
  // Nothing listens on port 1: the listing fails at once, naming the endpoint.
  Outcome unreachable = run_cli(
      "etl --s3-endpoint http://etl:Sup3rS3cret@127.0.0.1:1 --no-sign-request --s3-max-attempts 1 "
      "--song-data s3://raw/song_data --log-data s3://raw/log_data --lake " +
      (dir / "lake"));
  EXPECT_EQ(unreachable.status, 1) << unreachable.output;
  EXPECT_NE(unreachable.output.find("[redacted]@127.0.0.1:1"), std::string::npos) << unreachable.output;
  EXPECT_EQ(unreachable.output.find("Sup3rS3cret"), std::string::npos) << unreachable.output;
  Outcome malformed = run_cli(
      "etl --s3-endpoint ftp://etl:Sup3rS3cret@127.0.0.1:1 --no-sign-request "
      "--song-data s3://raw/song_data --log-data s3://raw/log_data --lake " +
      (dir / "lake"));
  EXPECT_EQ(malformed.status, 2) << malformed.output;
  EXPECT_EQ(malformed.output.find("Sup3rS3cret"), std::string::npos) << malformed.output;
}

// A server that accepts connections and never says a word: the kernel
// completes the handshake for the listening socket's backlog.
class SilentServer {
 public:
  SilentServer() {
    socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (socket_ < 0 || ::bind(socket_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(socket_, 16) != 0 || ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(socket_); }
  int port() const { return port_; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

TEST(Cli, AWarehouseThatNeverAnswersTimesOut) {
  SilentServer server;
  TempDir dir;
  write_text(dir / "songs/a.json", "{\"song_id\":\"S1\"}\n");
  write_text(dir / "logs/a.json", "{\"ts\":1}\n");
  std::string target = "'postgresql://etl:Sup3rS3cret@127.0.0.1:" + std::to_string(server.port()) + "/dwh'";
  for (const std::string& command :
       {"create-tables --target " + target,
        "etl --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --target " + target}) {
    auto start = std::chrono::steady_clock::now();
    Outcome outcome = run_cli(command + " --connect-timeout 2");
    auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(outcome.status, 1) << outcome.output;
    EXPECT_NE(outcome.output.find("127.0.0.1:" + std::to_string(server.port())), std::string::npos) << outcome.output;
    EXPECT_NE(outcome.output.find("timed out"), std::string::npos) << outcome.output;
    EXPECT_EQ(outcome.output.find("Sup3rS3cret"), std::string::npos) << outcome.output;
    EXPECT_LT(waited, std::chrono::seconds(10)) << command;
  }
}

TEST(Cli, TimeoutsOutOfRangeExitTwo) {
  for (const char* flags : {"--connect-timeout -1", "--connect-timeout 1", "--connect-timeout soon",
                            "--statement-timeout -5", "--statement-timeout 9999999"}) {
    Outcome outcome = run_cli(std::string("create-tables --target postgresql://127.0.0.1:1/dwh ") + flags);
    EXPECT_EQ(outcome.status, 2) << flags << ": " << outcome.output;
  }
}

TEST(Cli, MalformedConfigNamesFileAndLine) {
  TempDir dir;
  write_text(dir / "dwh.cfg", "[CLUSTER]\nHOST 127.0.0.1\n");
  Outcome outcome = run_cli("etl --config " + (dir / "dwh.cfg"));
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.output.find(dir / "dwh.cfg" + ":2"), std::string::npos) << outcome.output;
}

TEST(Cli, RecordsNoTargetCanHoldAreRejectsAndTheLakeIsWritten) {
  TempDir dir;
  write_text(dir / "songs/a.json", "{\"song_id\":\"S1\",\"artist_id\":\"" + std::string(300, 'A') +
                                       "\",\"title\":\"T\",\"duration\":1.5,\"year\":2000}\n");
  write_text(dir / "songs/b.json",
             "{\"song_id\":\"S2\",\"artist_id\":\"AR1\",\"title\":\"U\",\"duration\":2.5,\"year\":2001}\n");
  const std::string play = R"({"page":"NextSong","userId":"7","sessionId":1,"song":"U","artist":"A","length":2.5,)";
  write_text(dir / "logs/a.json", play + R"("itemInSession":0,"ts":1541106106796000})" + "\n" + play +
                                      R"("itemInSession":1,"ts":1541106106796})" + "\n");
  Outcome outcome = run_cli("etl --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --lake " +
                            (dir / "lake") + " --rejects " + (dir / "rejects.ndjson") + " --max-errors 2");
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  std::string rejects = read_text(dir / "rejects.ndjson");
  EXPECT_NE(rejects.find(R"("field":"artist_id")"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(R"("field":"ts")"), std::string::npos) << rejects;
  EXPECT_TRUE(std::filesystem::exists(dir / "lake/songs/year=2001/artist_id=AR1"));
  EXPECT_FALSE(std::filesystem::exists(dir / "lake/songs/year=2000"));
  EXPECT_TRUE(std::filesystem::exists(dir / "lake/songplays/year=2018/month=11"));
  EXPECT_FALSE(std::filesystem::exists(dir / "lake/songplays/year=50806"));
}

TEST(Cli, FilesStartingWithAByteOrderMarkLoad) {
  TempDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  write_text(dir / "songs/a.json", bom + R"({"song_id":"S1","artist_id":"AR1","title":"T","duration":1.5})" + "\n");
  write_text(dir / "logs/a.json", bom + R"({"page":"NextSong","userId":"7","sessionId":1,"ts":1541106106796})" + "\n");
  write_text(dir / "logs/b.json", bom + R"({"page":"NextSong","userId":"8","sessionId":2,"ts":1541106106797})" + "\n");
  ASSERT_EQ(std::system(("gzip " + (dir / "logs/b.json")).c_str()), 0);
  Outcome outcome = run_cli("etl --song-data " + (dir / "songs") + " --log-data " + (dir / "logs") + " --lake " +
                            (dir / "lake") + " --rejects " + (dir / "rejects.ndjson"));
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("rejects  0"), std::string::npos) << outcome.output;
}

TEST(Cli, GenerateThenEtlIntoTheDefaultLake) {
  TempDir dir;
  ASSERT_EQ(run_cli("generate --songs 200 --events 2000 --seed 1 --out " + (dir / "data")).status, 0);
  std::string command = "cd " + dir.str() + " && " + std::string(SPARKIFY_BINARY_DIR) +
                        "/src/cli/sparkify etl --song-data data/song_data --log-data data/log_data >out.txt 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_text(dir / "out.txt");
  EXPECT_TRUE(std::filesystem::exists(dir / "lake/songplays/_SUCCESS"));
  std::string summary = read_text(dir / "out.txt");
  EXPECT_NE(summary.find("songplays"), std::string::npos) << summary;
  EXPECT_NE(summary.find("rejects  0"), std::string::npos) << summary;
}

}  // namespace
}  // namespace sparkify::cli
