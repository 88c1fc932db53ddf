//! A real exporter process killed mid-release: this test runs itself again as a child that
//! publishes a release and stops at a chosen point (it prints `paused` and waits forever),
//! kills it there with SIGKILL, and checks what a consumer and the next run see.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use futures::{StreamExt as _, stream};
use support::{Memory, latest, night, options, releases};
use vuxnav_export::{
    LocalFolder, Outcome, RecordStream, Records, StagedFile, Storage, StorageError, StorageLock, publish,
};
use vuxnav_schema::{Course, Offering, Provider, Seen, SourceReport};

const ROOT: &str = "VUXNAV_EXPORT_CHILD_ROOT";
const STAGE: &str = "VUXNAV_EXPORT_CHILD_STAGE";
const TEST: &str = "an_exporter_killed_at_any_point_leaves_the_previous_release_as_latest_and_the_next_run_recovers";

fn pause() -> ! {
    println!("paused");
    loop {
        std::thread::park();
    }
}

/// Records whose offerings stop (forever) after 40 rows.
struct Pausing(Memory);

impl Records for Pausing {
    fn sources(&self) -> RecordStream<'_, SourceReport> {
        self.0.sources()
    }
    fn providers(&self) -> RecordStream<'_, Seen<Provider>> {
        self.0.providers()
    }
    fn courses(&self) -> RecordStream<'_, Seen<Course>> {
        self.0.courses()
    }
    fn registries(
        &self,
    ) -> futures::future::BoxFuture<'_, Result<vuxnav_schema::StampedRegistries, vuxnav_export::RecordsError>> {
        self.0.registries()
    }
    fn offerings(&self) -> RecordStream<'_, Offering> {
        let first: Vec<_> = self.0.offerings.iter().take(40).cloned().map(Ok).collect();
        stream::iter(first)
            .chain(stream::once(async {
                println!("paused");
                futures::future::pending::<Result<Offering, vuxnav_export::RecordsError>>().await
            }))
            .boxed()
    }
}

/// A local folder that stops for good at one step.
#[derive(Debug)]
struct Stopping {
    inner: LocalFolder,
    at: String,
}

impl Storage for Stopping {
    fn lock(&self) -> Result<StorageLock, StorageError> {
        self.inner.lock()
    }
    fn clear_staging(&self) -> Result<Vec<String>, StorageError> {
        self.inner.clear_staging()
    }
    fn create_staged(&self, release: &str, path: &str) -> Result<Box<dyn StagedFile>, StorageError> {
        self.inner.create_staged(release, path)
    }
    fn remove_staged(&self, release: &str, path: &str) -> Result<(), StorageError> {
        self.inner.remove_staged(release, path)
    }
    fn publish(&self, release: &str) -> Result<(), StorageError> {
        if self.at == "publish" {
            pause();
        }
        self.inner.publish(release)
    }
    fn read(&self, path: &str) -> Result<Option<Box<dyn Read + Send>>, StorageError> {
        self.inner.read(path)
    }
    fn replace(&self, path: &str, bytes: &[u8]) -> Result<(), StorageError> {
        if self.at == path {
            pause();
        }
        self.inner.replace(path, bytes)
    }
    fn releases(&self) -> Result<Vec<String>, StorageError> {
        self.inner.releases()
    }
    fn remove(&self, path: &str) -> Result<(), StorageError> {
        self.inner.remove(path)
    }
}

async fn child(root: &Path, stage: &str) {
    let records = Memory::sample(2, 60, night(0));
    let storage = Arc::new(Stopping { inner: LocalFolder::new(root), at: stage.to_owned() });
    if stage == "offerings" {
        let _ = publish(&Pausing(records), storage, &options(), night(1)).await;
    } else {
        let _ = publish(&records, storage, &options(), night(1)).await;
    }
    panic!("the child was to stop at {stage}");
}

#[tokio::test]
async fn an_exporter_killed_at_any_point_leaves_the_previous_release_as_latest_and_the_next_run_recovers() {
    if let (Ok(root), Ok(stage)) = (std::env::var(ROOT), std::env::var(STAGE)) {
        child(Path::new(&root), &stage).await;
        return;
    }
    for stage in ["offerings", "publish", "releases.atom", "latest.json", "state.txt"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let records = Memory::sample(2, 60, night(0));
        publish(&records, Arc::new(LocalFolder::new(root)), &options(), night(0)).await.unwrap();

        let mut exporter = Command::new(std::env::current_exe().unwrap())
            .args([TEST, "--exact", "--nocapture", "--test-threads", "1"])
            .env(ROOT, root)
            .env(STAGE, stage)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = exporter.stdout.take().unwrap();
        let paused = BufReader::new(stdout).lines().map_while(Result::ok).any(|line| line.ends_with("paused"));
        assert!(paused, "{stage}: the child ended without pausing");
        exporter.kill().unwrap();
        exporter.wait().unwrap();

        // What a consumer sees: the previous release, whole; or, killed between the two
        // pointers, the new one in latest.json while state.txt still names the previous.
        let expected = if stage == "state.txt" { "2026-11-21" } else { "2026-11-20" };
        assert_eq!(latest(root).as_deref(), Some(expected), "{stage}");
        assert_eq!(support::read(root, "state.txt").lines().nth(1), Some("sequenceNumber=1"), "{stage}");
        let visible = releases(root);
        match stage {
            "offerings" | "publish" => {
                assert_eq!(visible, ["2026-11-20"], "{stage}: nothing half-written is visible");
                assert!(root.join(".staging/2026-11-21").is_dir(), "{stage}: the staging leftovers");
            }
            // The release was complete and published, only not yet announced.
            _ => assert_eq!(visible, ["2026-11-20", "2026-11-21"], "{stage}"),
        }
        // The next run recovers.
        let next = publish(&records, Arc::new(LocalFolder::new(root)), &options(), night(2)).await.unwrap();
        match stage {
            "offerings" | "publish" => assert_eq!(next.cleared_staging, ["2026-11-21"], "{stage}"),
            "state.txt" => assert_eq!(next.rolled_forward, None, "{stage}: latest.json had been flipped"),
            _ => assert_eq!(next.rolled_forward.as_deref(), Some("2026-11-21"), "{stage}"),
        }
        assert!(matches!(next.outcome, Outcome::Published { .. }), "{stage}");
        assert_eq!(latest(root).as_deref(), Some("2026-11-22"), "{stage}");
        let sequence = if matches!(stage, "offerings" | "publish") { "sequenceNumber=2" } else { "sequenceNumber=3" };
        assert_eq!(support::read(root, "state.txt").lines().nth(1), Some(sequence), "{stage}");
        assert!(std::fs::read_dir(root.join(".staging")).map_or(true, |mut d| d.next().is_none()), "{stage}");
    }
}
