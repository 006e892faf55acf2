# Managed state for a production Latchkey: PostgreSQL (source of truth), Redis (cache only) and the
# system secret that encrypts per-project keys. The services themselves run on Kubernetes
# (charts/latchkey) and read everything below from one Kubernetes Secret.

locals {
  tags = merge({ "app.kubernetes.io/part-of" = "latchkey", "managed-by" = "terraform" }, var.tags)

  db_name     = "latchkey"
  db_username = "latchkey" # the instance's master user: creates the two roles below, used by nothing else

  db_migrator_role = "latchkey_migrator"
  db_app_role      = "latchkey_app"
  db_port          = 5432
  redis_port       = 6379

  # The parameter group's family follows the engine: "16" or "16.4" -> postgres16, "17.2" -> postgres17.
  db_major  = split(".", var.db_engine_version)[0]
  db_family = "postgres${local.db_major}"

  redis_major           = split(".", var.redis_engine_version)[0]
  redis_parameter_group = local.redis_major == "6" ? "default.redis6.x" : "default.redis${local.redis_major}"
}

# --- secrets -------------------------------------------------------------------------------------

# Alphanumeric only: the values end up inside Npgsql / StackExchange.Redis connection strings, and
# RDS and ElastiCache reject some punctuation.
resource "random_password" "db" {
  length  = 40
  special = false
}

# The two roles the platform connects as (created by database_roles_sql, see README): the migration Job's,
# which owns the schemas (DDL), and the pods', with row rights only (DML).
resource "random_password" "db_migrator" {
  length  = 40
  special = false
}

resource "random_password" "db_app" {
  length  = 40
  special = false
}

# LATCHKEY_BOOTSTRAP_WORKSPACE_KEY: the first workspace API key (lk_wak_ + 43 characters).
resource "random_password" "bootstrap_workspace_key" {
  length  = 43
  special = false
}

resource "random_password" "redis_auth" {
  length  = 64
  special = false
}

# LATCHKEY_SECRETS_SYSTEM: a comma-separated list; the first entry encrypts, all decrypt.
resource "random_password" "system_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "system" {
  name                    = "${var.name}/secrets-system"
  description             = "LATCHKEY_SECRETS_SYSTEM: encrypts per-project signing keys. Rotate by prepending a new entry."
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "system" {
  secret_id     = aws_secretsmanager_secret.system.id
  secret_string = random_password.system_secret.result

  # After the first apply the value is rotated by hand ("new,old"); never overwrite it from here,
  # or every stored key becomes unreadable.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

# Everything the pods need, keyed like the Kubernetes Secret that charts/latchkey expects, ready for
# External Secrets Operator (or a one-off `kubectl create secret`).
resource "aws_secretsmanager_secret" "runtime" {
  name                    = "${var.name}/runtime"
  description             = "Latchkey runtime configuration: database-url, redis-url."
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "runtime" {
  secret_id = aws_secretsmanager_secret.runtime.id
  secret_string = jsonencode({
    "database-url"           = local.database_url
    "migration-database-url" = local.migration_database_url
    "redis-url"              = local.redis_url
  })
}

# --- network -------------------------------------------------------------------------------------

resource "aws_security_group" "db" {
  name        = "${var.name}-postgres"
  description = "Latchkey PostgreSQL: reachable from the application only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-postgres" })
}

resource "aws_vpc_security_group_ingress_rule" "db_from_sg" {
  for_each                     = toset(var.allowed_security_group_ids)
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
  description                  = "PostgreSQL from ${each.value}"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_cidr" {
  for_each          = toset(var.allowed_cidr_blocks)
  security_group_id = aws_security_group.db.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = local.db_port
  to_port           = local.db_port
  description       = "PostgreSQL from ${each.value}"
}

resource "aws_security_group" "redis" {
  name        = "${var.name}-redis"
  description = "Latchkey Redis: reachable from the application only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-redis" })
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_sg" {
  for_each                     = toset(var.allowed_security_group_ids)
  security_group_id            = aws_security_group.redis.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = local.redis_port
  to_port                      = local.redis_port
  description                  = "Redis from ${each.value}"
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_cidr" {
  for_each          = toset(var.allowed_cidr_blocks)
  security_group_id = aws_security_group.redis.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = local.redis_port
  to_port           = local.redis_port
  description       = "Redis from ${each.value}"
}

# --- PostgreSQL ----------------------------------------------------------------------------------

resource "aws_db_subnet_group" "this" {
  name       = "${var.name}-postgres"
  subnet_ids = var.subnet_ids
  tags       = local.tags
}

resource "aws_db_parameter_group" "this" {
  # A new major version gets a new group (create_before_destroy), named after its family.
  name_prefix = "${var.name}-${local.db_family}-"
  family      = local.db_family
  description = "Latchkey PostgreSQL ${local.db_major}"
  tags        = local.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Fixed rather than derived from the instance's memory, so the pool arithmetic (README) has a number to
  # check against; a reboot applies it.
  parameter {
    name         = "max_connections"
    value        = tostring(var.db_max_connections)
    apply_method = "pending-reboot"
  }

  # Surface slow statements without logging the hot path.
  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = "${var.name}-postgres"
  engine         = "postgres"
  engine_version = var.db_engine_version
  instance_class = var.db_instance_class

  db_name  = local.db_name
  username = local.db_username
  password = random_password.db.result
  port     = local.db_port

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  multi_az               = var.db_multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = "03:00-04:00"
  maintenance_window        = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.db_deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-postgres-final"

  auto_minor_version_upgrade = true
  # A major upgrade changes the parameter group's family: allowed, and applied in the maintenance window.
  allow_major_version_upgrade     = true
  apply_immediately               = false
  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql"]

  tags = local.tags
}

# --- Redis ---------------------------------------------------------------------------------------

resource "aws_elasticache_subnet_group" "this" {
  name       = "${var.name}-redis"
  subnet_ids = var.subnet_ids
  tags       = local.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = "${var.name}-redis"
  description          = "Latchkey cache (never the source of truth)"

  engine               = "redis"
  engine_version       = var.redis_engine_version
  node_type            = var.redis_node_type
  num_cache_clusters   = var.redis_num_cache_clusters
  port                 = local.redis_port
  parameter_group_name = local.redis_parameter_group

  automatic_failover_enabled = var.redis_num_cache_clusters > 1
  multi_az_enabled           = var.redis_num_cache_clusters > 1

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.redis.id]

  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = random_password.redis_auth.result

  snapshot_retention_limit = 0
  maintenance_window       = "sun:05:30-sun:06:30"
  apply_immediately        = false

  tags = local.tags
}

# --- connection strings --------------------------------------------------------------------------

locals {
  # TLS with the server's name checked against a CA the pods carry (charts/latchkey databaseCA mounts it):
  # Require would accept any certificate, so anyone on the path could pose as the database.
  db_tls = [
    "SSL Mode=VerifyFull",
    "Root Certificate=${var.db_ca_mount_path}/${var.db_ca_key}",
  ]

  # Where the pods connect: through RDS Proxy when it is on (it multiplexes every replica's pool onto a
  # bounded number of server connections), else straight to the instance.
  app_db_host = var.db_proxy_enabled ? aws_db_proxy.this[0].endpoint : aws_db_instance.this.address

  # Npgsql keyword connection string of the app role (LATCHKEY_DATABASE_URL): rows only, no DDL.
  database_url = join(";", concat([
    "Host=${local.app_db_host}",
    "Port=${local.db_port}",
    "Username=${local.db_app_role}",
    "Password=${random_password.db_app.result}",
    "Database=${local.db_name}",
    "Maximum Pool Size=${var.db_max_pool_size}",
  ], local.db_tls))

  # The migration Job's (secret key migration-database-url): the schema owner, straight to the instance,
  # since `migrate` holds a session-level advisory lock (through a proxy that pins the connection anyway).
  migration_database_url = join(";", concat([
    "Host=${aws_db_instance.this.address}",
    "Port=${aws_db_instance.this.port}",
    "Username=${local.db_migrator_role}",
    "Password=${random_password.db_migrator.result}",
    "Database=${local.db_name}",
    "Maximum Pool Size=5",
  ], local.db_tls))

  # StackExchange.Redis configuration string (LATCHKEY_REDIS_URL). abortConnect=false: Redis is a
  # cache, the services must start and serve while it is unreachable.
  redis_url = join(",", [
    "${aws_elasticache_replication_group.this.primary_endpoint_address}:${local.redis_port}",
    "ssl=true",
    "password=${random_password.redis_auth.result}",
    "abortConnect=false",
  ])
}
