"""``boroughhub link --user EMAIL``: link people across the sources now, in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from boroughhub.linkage.mapping_import import MappingRefused
from boroughhub.linkage.spark_settings import SparkUnavailable
from boroughhub.linkage.tasks import LinkRefused, link_now
from boroughhub.organisations import acting_grant
from boroughhub.warehouse import WAITING_FOR_THE_WAREHOUSE, WarehouseHeld


class Command(BaseCommand):
    help = "Link person records across CHAIN, InForm and H-CLIC (Splink), or import a person mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Job owner's email: needs `link` on every source.")
        parser.add_argument("--mode", choices=("incremental", "full"), default="incremental",
                            help="incremental scores only new and changed records and reclusters (people merge and "
                                 "split as a full relink would); full rescores everything. Both keep person ids "
                                 "where clusters persist.")
        parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb",
                            help="spark scores (and trains) on a Spark session configured by the BOROUGHHUB_SPARK_* "
                                 "settings (docs/operator-guide.md); standardising and clustering stay here.")
        parser.add_argument("--spark-master", metavar="URL",
                            help="with --backend spark: the master to run on instead of BOROUGHHUB_SPARK_MASTER "
                                 "(local[2], spark://HOST:7077, yarn, k8s://https://HOST:PORT).")
        parser.add_argument("--mapping", type=Path,
                            help="CSV source,supplier_code,table,record_key,person_id to import instead of linking.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        if options["spark_master"] and options["backend"] != "spark":
            raise CommandError("--spark-master is for --backend spark: add --backend spark, or leave it out.")
        try:
            spark = settings.LINKAGE_SPARK.with_master(options["spark_master"])
        except SparkUnavailable as unavailable:
            raise CommandError(str(unavailable)) from None
        grant = acting_grant(options["user"], roles=("analyst", "data_manager"))
        if options["mapping"] is not None and not options["mapping"].exists():
            raise CommandError(f"No mapping file at {options['mapping']}.")
        with console.status("Linking…") as status:

            def progress(message: str) -> None:
                if message.startswith(WAITING_FOR_THE_WAREHOUSE):  # a line of its own: logs keep it
                    console.print(message, markup=False, highlight=False, soft_wrap=True)
                status.update(f"{message}…")

            try:
                result = link_now(grant.user, grant.organisation_id, grant.role, mode=options["mode"],
                                  backend=options["backend"], spark=spark, mapping=options["mapping"], progress=progress)
            except LinkRefused as refused:
                raise CommandError(f"Linkage refused by the agreements ({refused}). The refusal is audited.") from None
            except MappingRefused as refused:
                raise CommandError(f"The mapping was refused, nothing changed: {refused}") from None
            except SparkUnavailable as unavailable:
                raise CommandError(str(unavailable)) from None
            except WarehouseHeld as held:
                raise CommandError(f"{held} Nothing was linked; run the command again when it has finished.") from None
        if isinstance(result, int):
            console.print(f"Imported the person mapping: {result:,} person records.")
        else:
            console.print(f"Linked {result.records:,} person records into {result.persons:,} people "
                          f"({result.new_records:,} new records; {result.review_pairs_queued:,} pairs queued for review; "
                          f"model version {result.model_version}, run {result.run_id}).")
