import { Controller, Get, Query } from "@nestjs/common";
import { DataSource } from "typeorm";

@Controller("reports")
export class ReportsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async byRegion(@Query("region") region: string) {
    return this.dataSource.query("SELECT * FROM sales WHERE region = $1", [region]);
  }
}
