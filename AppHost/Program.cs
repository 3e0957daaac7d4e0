var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.Backend_Api>("backend");

builder.Build().Run();
